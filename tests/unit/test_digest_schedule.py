"""Digest periods and slots in Almaty time, and the arguments of /subscribe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import (
    Frequency,
    Schedule,
    due_period,
    last_slot,
    next_slot,
    parse_time,
    period_start,
    zone_for,
)
from bot.features.digests.request import RequestError, SubscriptionRequest, parse_request

ALMATY = zone_for("Asia/Almaty")
DAILY_9 = Schedule(Frequency.DAILY, 9 * 60)
WEEKLY_8 = Schedule(Frequency.WEEKLY, 8 * 60)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_almaty_is_utc_plus_five_since_march_2024() -> None:
    assert datetime(2025, 6, 1, 9, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)
    assert datetime(2024, 12, 31, 23, tzinfo=ALMATY).utcoffset() == timedelta(hours=5)


def test_outdated_zone_data_falls_back_to_plus_five(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.domain.schedule as schedule

    monkeypatch.setattr(schedule, "ZoneInfo", lambda name: timezone(timedelta(hours=6)))
    zone = schedule.zone_for("Asia/Almaty")
    assert datetime(2025, 1, 1, tzinfo=zone).utcoffset() == timedelta(hours=5)


def test_a_daily_period_is_the_local_day() -> None:
    # 21:00 UTC on the 10th is 02:00 on the 11th in Almaty.
    assert period_start(DAILY_9, utc(2025, 3, 10, 21), ALMATY) == utc(2025, 3, 10, 19)


def test_a_weekly_period_starts_on_monday() -> None:
    # Thursday 13 March 2025 → Monday 10 March, 00:00 Almaty.
    assert period_start(WEEKLY_8, utc(2025, 3, 13, 12), ALMATY) == utc(2025, 3, 9, 19)


def test_the_slot_is_the_local_time() -> None:
    slot, period = last_slot(DAILY_9, utc(2025, 3, 10, 5), ALMATY)
    assert slot == utc(2025, 3, 10, 4)  # 09:00 Almaty
    assert period == utc(2025, 3, 9, 19)
    # Before nine the latest slot is yesterday's.
    slot, period = last_slot(DAILY_9, utc(2025, 3, 10, 3), ALMATY)
    assert slot == utc(2025, 3, 9, 4)
    assert period == utc(2025, 3, 8, 19)


def test_missed_slots_collapse_into_the_latest_period() -> None:
    """Down from Monday to Thursday noon: one digest, for Thursday, not four."""
    thursday_noon = utc(2025, 3, 13, 7)
    assert due_period(DAILY_9, thursday_noon, ALMATY) == utc(2025, 3, 12, 19)


def test_forced_digests_belong_to_the_current_period() -> None:
    early = utc(2025, 3, 13, 1)  # 06:00 Almaty, before the 09:00 slot
    assert due_period(DAILY_9, early, ALMATY) == utc(2025, 3, 11, 19)
    assert due_period(DAILY_9, early, ALMATY, force=True) == utc(2025, 3, 12, 19)


def test_the_next_slot_skips_a_period_already_served() -> None:
    now = utc(2025, 3, 13, 1)  # 06:00 Thursday, Almaty
    assert next_slot(DAILY_9, now, ALMATY) == utc(2025, 3, 13, 4)
    # Thursday's digest was already sent (by `digest --now`): Friday's is next.
    assert next_slot(DAILY_9, now, ALMATY, handled=utc(2025, 3, 12, 19)) == utc(2025, 3, 14, 4)
    # Weekly: Monday 17 March at 08:00.
    assert next_slot(WEEKLY_8, now, ALMATY) == utc(2025, 3, 17, 3)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("08:00", 480), ("8:30", 510), ("8", 480), ("23:59", 1439), ("0", 0)],
)
def test_times_of_day(text: str, minutes: int) -> None:
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["24:00", "8:5", "8:60", "morning", "", "-1", "100"])
def test_not_times_of_day(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("all daily", SubscriptionRequest(MAIN_TOPICS, Frequency.DAILY, None)),
        (
            "zones,cargo weekly 08:00",
            SubscriptionRequest((Topic.ZONES, Topic.CARGO), Frequency.WEEKLY, 480),
        ),
        ("7:30", SubscriptionRequest(None, None, 450)),
        ("JOBS, Investments", SubscriptionRequest((Topic.INVESTMENTS, Topic.JOBS), None, None)),
        ("все еженедельно 10:00", SubscriptionRequest(MAIN_TOPICS, Frequency.WEEKLY, 600)),
        ("рабочие места ежедневно", SubscriptionRequest((Topic.JOBS,), Frequency.DAILY, None)),
        ("барлығы апта сайын", SubscriptionRequest(MAIN_TOPICS, Frequency.WEEKLY, None)),
    ],
)
def test_subscribe_arguments(args: str, expected: SubscriptionRequest) -> None:
    assert parse_request(args) == expected


def test_a_word_not_understood_is_named() -> None:
    with pytest.raises(RequestError) as raised:
        parse_request("zones monthly")
    assert raised.value.word == "monthly"
