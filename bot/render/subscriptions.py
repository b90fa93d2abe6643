"""Digest subscriptions as text and buttons: the /subscribe form, /settings, the answers.

The form keeps its whole state in its buttons' callback data (topics as a bit mask,
frequency, time), so a press needs nothing stored and any replica can answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import DEFAULT_MINUTE, Frequency, Schedule, as_utc, format_time
from bot.render.format import format_date
from bot.render.html import echo, escape
from bot.render.keyboards import MAX_PAGE
from bot.render.labels import topic_button, topic_label
from bot.storage.subscriptions import Subscription

FORM_HOURS = tuple(range(6, 23))
ALL_MASK = (1 << len(MAIN_TOPICS)) - 1
MINUTES_A_DAY = 24 * 60


class SubscribeForm(CallbackData, prefix="subf"):
    # A forged value out of these ranges is refused when the data is read.
    topics: int = Field(ge=0, le=ALL_MASK)  # bit i: MAIN_TOPICS[i]
    frequency: Frequency
    minute: int = Field(ge=0, lt=MINUTES_A_DAY)  # of the day, in the digest time zone
    save: bool = False


class SubscriptionAction(CallbackData, prefix="subs"):
    action: str = Field(max_length=8)  # "edit", "off", "show", "stop"


class DigestPage(CallbackData, prefix="dpage"):
    page: int = Field(ge=0, le=MAX_PAGE)


def topics_mask(topics: Sequence[Topic]) -> int:
    return sum(1 << index for index, topic in enumerate(MAIN_TOPICS) if topic in topics)


def mask_topics(mask: int) -> tuple[Topic, ...]:
    return tuple(topic for index, topic in enumerate(MAIN_TOPICS) if mask & (1 << index))


def default_form(subscription: Subscription | None) -> SubscribeForm:
    """The form as it opens: the chat's current choice, or everything daily at 09:00."""
    if subscription is None or not subscription.active:
        return SubscribeForm(topics=ALL_MASK, frequency=Frequency.DAILY, minute=DEFAULT_MINUTE)
    return SubscribeForm(
        topics=topics_mask(subscription.topics),
        frequency=subscription.schedule.frequency,
        minute=subscription.schedule.minute_of_day,
    )


# --- words ------------------------------------------------------------------------------


def topics_text(topics: Sequence[Topic]) -> str:
    if set(topics) >= set(MAIN_TOPICS):
        return _("all topics")
    if not topics:
        return _("none yet")
    return ", ".join(topic_label(topic) for topic in topics)


def frequency_text(frequency: Frequency) -> str:
    if frequency is Frequency.WEEKLY:
        return _("weekly")
    return _("daily")


def schedule_text(schedule: Schedule) -> str:
    """ "daily at 09:00", "weekly, on Mondays at 08:00" (digest time zone)."""
    time = format_time(schedule.minute_of_day)
    if schedule.frequency is Frequency.WEEKLY:
        return _("weekly, on Mondays at {time}").format(time=time)
    return _("daily at {time}").format(time=time)


def moment_text(moment: datetime, zone: tzinfo) -> str:
    local = as_utc(moment).astimezone(zone)
    return _("{date}, {time}").format(
        date=format_date(local.date()), time=format_time(local.hour * 60 + local.minute)
    )


# --- the form ---------------------------------------------------------------------------


def form_text(form: SubscribeForm) -> str:
    lines = [
        "📬 <b>{}</b>".format(escape(_("Digest subscription"))),
        escape(
            _(
                "A digest of the new figures on your topics, at the time you choose "
                "(Almaty time). With nothing new, nothing is sent."
            )
        ),
        "",
        "<b>{}</b> {}".format(escape(_("Topics:")), escape(topics_text(mask_topics(form.topics)))),
        "<b>{}</b> {}".format(escape(_("How often:")), escape(frequency_text(form.frequency))),
        "<b>{}</b> {}".format(escape(_("Time:")), format_time(form.minute)),
    ]
    return "\n".join(lines)


def form_keyboard(form: SubscribeForm) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def state(**changes: object) -> SubscribeForm:
        return form.model_copy(update={"save": False, **changes})

    for index, topic in enumerate(MAIN_TOPICS):
        chosen = bool(form.topics & (1 << index))
        builder.button(
            text=("✅ " if chosen else "▫️ ") + topic_button(topic),
            callback_data=state(topics=form.topics ^ (1 << index)),
        )
    everything = form.topics == ALL_MASK
    builder.button(
        text=("✅ " if everything else "▫️ ") + _("All topics"),
        callback_data=state(topics=0 if everything else ALL_MASK),
    )
    for frequency in Frequency:
        mark = "● " if form.frequency is frequency else ""
        builder.button(
            text=mark + frequency_text(frequency), callback_data=state(frequency=frequency)
        )
    hours = [hour * 60 for hour in FORM_HOURS]
    if form.minute not in hours:
        hours = sorted([*hours, form.minute])
    for minute in hours:
        text = format_time(minute)
        builder.button(
            text=f"[{text}]" if minute == form.minute else text,
            callback_data=state(minute=minute),
        )
    builder.button(text="💾 " + _("Save"), callback_data=form.model_copy(update={"save": True}))
    hour_rows = [6] * (len(hours) // 6) + ([len(hours) % 6] if len(hours) % 6 else [])
    builder.adjust(2, 2, 2, 2, *hour_rows, 1)
    return builder.as_markup()


# --- settings and answers ---------------------------------------------------------------


def settings_text(subscription: Subscription | None, zone: tzinfo) -> str:
    if subscription is None or not subscription.active:
        return escape(
            _("There is no digest subscription in this chat. Send /subscribe to choose one.")
        )
    lines = [
        "📬 <b>{}</b>".format(escape(_("Digest subscription"))),
        "<b>{}</b> {}".format(escape(_("Topics:")), escape(topics_text(subscription.topics))),
        "<b>{}</b> {}".format(escape(_("When:")), escape(schedule_text(subscription.schedule))),
    ]
    if subscription.next_due_at is not None:
        lines.append(
            "<b>{}</b> {}".format(
                escape(_("Next digest:")), escape(moment_text(subscription.next_due_at, zone))
            )
        )
    lines.append(escape(_("With nothing new, nothing is sent.")))
    return "\n".join(lines)


def settings_keyboard(subscription: Subscription | None) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if subscription is None or not subscription.active:
        builder.button(text="📬 " + _("Subscribe"), callback_data=SubscriptionAction(action="edit"))
        return builder.as_markup()
    builder.button(text="✏️ " + _("Change"), callback_data=SubscriptionAction(action="edit"))
    builder.button(text="🔕 " + _("Unsubscribe"), callback_data=SubscriptionAction(action="off"))
    builder.adjust(2)
    return builder.as_markup()


def digest_keyboard() -> InlineKeyboardMarkup:
    """Under the last message of every digest: one tap to stop them."""
    builder = InlineKeyboardBuilder()
    builder.button(text="⚙️ " + _("Settings"), callback_data=SubscriptionAction(action="show"))
    builder.button(text="🔕 " + _("Unsubscribe"), callback_data=SubscriptionAction(action="stop"))
    builder.adjust(2)
    return builder.as_markup()


def subscribed_text(subscription: Subscription, zone: tzinfo) -> str:
    return "✅ {}\n\n{}".format(escape(_("Subscribed.")), settings_text(subscription, zone))


def unsubscribed_text() -> str:
    return "🔕 " + escape(_("You will not get digests any more. Send /subscribe to come back."))


def not_subscribed_text() -> str:
    return escape(_("There is no digest subscription in this chat."))


def admins_only_text() -> str:
    return _("Only the group's administrators can change its digest subscription.")


def choose_a_topic_text() -> str:
    return _("Choose at least one topic.")


def request_error_text(word: str) -> str:
    return escape(
        _(
            "I did not understand «{word}». For example: /subscribe all daily, "
            "/subscribe zones,cargo weekly 08:00"
        ).format(word=echo(word))
    )


def preview_intro_text() -> str:
    return escape(_("This is what your next digest would hold if it were sent now:"))


def preview_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ ▶ through the pages of a /digest preview."""
    if pages <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text="◀", callback_data=DigestPage(page=page - 1))
    if page < pages - 1:
        builder.button(text="▶", callback_data=DigestPage(page=page + 1))
    return builder.as_markup()


def nothing_to_preview_text() -> str:
    return escape(
        _(
            "There is no digest subscription in this chat. Send /subscribe, and /digest "
            "will show what your next digest holds."
        )
    )
