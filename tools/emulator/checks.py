"""The Bot API's checks on what a bot sends: texts, captions, keyboards, inline results."""

from __future__ import annotations

import re
from typing import Any

from tools.emulator.errors import ApiError
from tools.emulator.html import HtmlParseError, ParsedText, parse_html, utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
INLINE_RESULTS_LIMIT = 50
INLINE_RESULT_ID_LIMIT = 64
COMMANDS_LIMIT = 100

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def formatted_text(text: Any, parse_mode: Any, entities: Any) -> ParsedText:
    """A message text as Telegram stores it; empty or too long texts are refused."""
    if not isinstance(text, str) or not text:
        raise ApiError.bad_request("message text is empty")
    parsed = _parse(text, parse_mode, entities)
    if not parsed.text.strip():
        raise ApiError.bad_request("message text is empty")
    if utf16_len(parsed.text) > TEXT_LIMIT:
        raise ApiError.bad_request("message is too long")
    return parsed


def formatted_caption(caption: Any, parse_mode: Any, entities: Any) -> ParsedText | None:
    """A media caption: optional, at most 1024 characters after parsing."""
    if caption is None or caption == "":
        return None
    parsed = _parse(str(caption), parse_mode, entities)
    if utf16_len(parsed.text) > CAPTION_LIMIT:
        raise ApiError.bad_request("message caption is too long")
    return parsed


def _parse(text: str, parse_mode: Any, entities: Any) -> ParsedText:
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(text)
        except HtmlParseError as error:
            raise ApiError.bad_request(f"can't parse entities: {error}") from None
    if mode in ("markdown", "markdownv2"):
        # Markdown is not emulated: the text is kept as sent.
        return ParsedText(text, [])
    if mode:
        raise ApiError.bad_request("unsupported parse_mode")
    return ParsedText(text, list(entities or []))


def reply_markup(markup: Any) -> dict[str, Any] | None:
    """Inline keyboards are checked button by button; other keyboards are kept as sent."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError.bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise ApiError.bad_request("can't parse inline keyboard button: Text must be a String")
    actions = [name for name in _BUTTON_ACTIONS if button.get(name) is not None]
    if not actions:
        raise ApiError.bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        raise ApiError.bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
        raise ApiError.bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def inline_results(results: Any) -> list[dict[str, Any]]:
    """answerInlineQuery's results: at most 50, unique ids, valid texts and keyboards."""
    if not isinstance(results, list):
        raise ApiError.bad_request("can't parse inline query results JSON object")
    if len(results) > INLINE_RESULTS_LIMIT:
        raise ApiError.bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict):
            raise ApiError.bad_request("can't parse InlineQueryResult JSON object")
        result_id = str(result.get("id") or "")
        if not 1 <= len(result_id.encode("utf-8")) <= INLINE_RESULT_ID_LIMIT:
            raise ApiError.bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise ApiError.bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result.get("type") == "article" and not result.get("title"):
            raise ApiError.bad_request("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            formatted_text(
                content["message_text"], content.get("parse_mode"), content.get("entities")
            )
        reply_markup(result.get("reply_markup"))
    return results


def callback_answer_text(text: Any) -> str | None:
    if text is None or text == "":
        return None
    if utf16_len(str(text)) > CALLBACK_ANSWER_LIMIT:
        raise ApiError.bad_request("MESSAGE_TOO_LONG")
    return str(text)


def bot_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise ApiError.bad_request("can't parse commands JSON object")
    if len(commands) > COMMANDS_LIMIT:
        raise ApiError.bad_request("too many commands")
    for command in commands:
        name = command.get("command", "") if isinstance(command, dict) else ""
        description = command.get("description", "") if isinstance(command, dict) else ""
        if not _COMMAND.fullmatch(str(name)):
            raise ApiError.bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(description)) <= 256:
            raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands
