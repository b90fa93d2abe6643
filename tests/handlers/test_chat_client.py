"""`make chat` without a terminal: scripted input in, the bot's answers out."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from aiogram import Dispatcher

from tests.handlers.harness import make_settings
from tools.chat import readable, run_chat
from tools.emulator import EmulatorConfig


async def run(
    script: str, tmp_path: Path, template: Path | str, dispatcher: Dispatcher
) -> tuple[int, str]:
    if isinstance(template, Path):
        path = tmp_path / "chat.db"
        shutil.copy(template, path)
        url = f"sqlite+aiosqlite:///{path}"
    else:
        url = template
    out = io.StringIO()
    code = await run_chat(
        make_settings(url),
        stdin=io.StringIO(script),
        stdout=out,
        dispatcher=dispatcher,
        reply_timeout=5,
        config=EmulatorConfig(max_poll_timeout=0.5),
        files_dir=tmp_path / "files",
    )
    return code, out.getvalue()


async def test_scripted_chat_prints_the_answers(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    script = "/no_such_command\n:lang kk\n/no_such_command\n:group\n/no_such_command\n:quit\n"
    code, transcript = await run(script, tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    assert "you> /no_such_command\nbot: Я не знаю такой команды." in transcript
    assert "bot: Мен бұл команданы білмеймін." in transcript
    assert "(you created Chat client group and added the bot)" in transcript
    assert "\x1b[" not in transcript  # no terminal, no colour codes
    assert transcript.rstrip().endswith("bye")


async def test_end_of_input_ends_the_chat(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    code, transcript = await run("", tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    assert transcript.rstrip().endswith("bye")


async def test_digits_are_button_presses_only_under_a_keyboard(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    script = "/no_such_command\n1\n/start\n1\n:quit\n"
    code, transcript = await run(script, tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    # No keyboard after the first answer: "1" is a message, answered as text is.
    assert "(no such button)" not in transcript
    assert "you> 1\nbot: " in transcript
    # After /start its topic buttons are shown: "1" presses the first (investments).
    after_start = transcript.split("you> /start", 1)[1]
    assert "Инвестиции" in after_start.split("you> 1", 1)[1]


async def test_the_share_button_shows_its_query(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    code, transcript = await run("/zones\n:quit\n", tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    assert "(inline: @bot Экономические зоны)" in transcript


async def test_files_the_bot_sends_are_saved_and_their_paths_printed(
    tmp_path: Path, seeded_db_url: str, dispatcher: Dispatcher
) -> None:
    emoji_text = ("Сарань 😀 " * 600)[:5000]
    script = f"/export\n{emoji_text}\n:quit\n"
    code, transcript = await run(script, tmp_path, seeded_db_url, dispatcher)
    assert code == 0
    saved = list((tmp_path / "files").iterdir())
    assert len(saved) == 1 and saved[0].suffix == ".csv"
    assert f"(file saved: {saved[0]})" in transcript
    assert "Traceback" not in transcript


def test_pasted_text_reaches_the_bot_as_typed() -> None:
    emoji = "Сарань 😀 " * 500
    assert readable(emoji) == emoji
    # A console that hands emoji over as UTF-16 halves.
    halves = emoji.encode("utf-16-le").decode("utf-16-le", "surrogatepass")
    split = "".join(
        chr(0xD800 + ((ord(c) - 0x10000) >> 10)) + chr(0xDC00 + ((ord(c) - 0x10000) & 0x3FF))
        if ord(c) > 0xFFFF
        else c
        for c in halves
    )
    assert readable(split) == emoji
    # A terminal whose encoding is not UTF-8 leaves the bytes as surrogate escapes.
    escaped = emoji.encode("utf-8").decode("ascii", "surrogateescape")
    assert readable(escaped) == emoji
    # A lone half is replaced, so the text can still be sent.
    assert readable("a\ud83db").encode("utf-8") == "a\ufffdb".encode()
