"""What the bot answers an administrator who sent a document to add."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain import MAIN_TOPICS, Topic
from bot.render.html import escape, shorten
from bot.render.labels import TOPIC_EMOJI, topic_label
from bot.storage.outcomes import IngestReport, Outcome

NAME_LIMIT = 80


class UploadChoice(CallbackData, prefix="upload"):
    """The administrator's answer: replace the stored document of that name, or keep it."""

    replace: bool


def ingest_report_text(report: IngestReport) -> str:
    name = shorten(report.file_name, NAME_LIMIT)
    if report.outcome is Outcome.FAILED:
        return "⚠️ " + escape(
            _("«{name}» was not added: {reason}").format(name=name, reason=report.error or "?")
        )
    if report.outcome is Outcome.UNCHANGED:
        return escape(_("«{name}» is already in the store, unchanged.").format(name=name))
    if not report.facts:
        nothing = _("«{name}» was added, but it holds no figures I can read.")
        return escape(nothing.format(name=name))
    facts = ngettext("{count} fact", "{count} facts", report.facts).format(count=report.facts)
    if report.outcome is Outcome.REPLACED:
        head = _("«{name}» was updated: {facts}.").format(name=name, facts=facts)
    else:
        head = _("«{name}» was added: {facts}.").format(name=name, facts=facts)
    lines = [f"📥 {escape(head)}"]
    for topic in (*MAIN_TOPICS, Topic.OTHER):
        count = report.by_topic.get(topic, 0)
        if count:
            lines.append(f"{TOPIC_EMOJI[topic]} {escape(topic_label(topic))}: {count}")
    lines.append(escape(_("Subscribers get the new figures with their next digest.")))
    return "\n".join(lines)


def not_an_admin_text() -> str:
    return escape(
        _(
            "Thank you, but only the bot's administrators can add documents. "
            "Send /sources to see where the figures come from."
        )
    )


def not_a_text_file_text() -> str:
    return escape(_("I can add only plain text documents (.txt)."))


def too_large_text(limit_kb: int) -> str:
    return escape(_("The document is too large: at most {limit} KB.").format(limit=limit_kb))


def replace_question_text(name: str) -> str:
    return escape(
        _("«{name}» is already in the store. Replace it with the file you sent?").format(
            name=shorten(name, NAME_LIMIT)
        )
    )


def replace_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="🔄 " + _("Replace"), callback_data=UploadChoice(replace=True))
    builder.button(text="✖️ " + _("Keep the stored one"), callback_data=UploadChoice(replace=False))
    builder.adjust(2)
    return builder.as_markup()


def kept_text(name: str) -> str:
    return escape(
        _("«{name}» stays as it was in the store.").format(name=shorten(name, NAME_LIMIT))
    )


def too_slow_text(name: str) -> str:
    return "⚠️ " + escape(
        _(
            "«{name}» was not added: reading it took too long. Split it into separate "
            "articles and send them one by one."
        ).format(name=shorten(name, NAME_LIMIT))
    )


def utf16_text() -> str:
    return "⚠️ " + escape(
        _(
            "The file is saved in UTF-16. Save it as UTF-8 text (in Notepad: "
            "«Save as», encoding UTF-8) and send it again."
        )
    )
