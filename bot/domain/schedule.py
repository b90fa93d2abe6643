"""When digests are due: periods and slots in the digest time zone.

A subscriber gets at most one digest per *period* — a local day for daily digests, a local
week (from Monday) for weekly ones. Within the period the digest is due at its *slot*: the
chosen local time (on Monday for weekly digests). A period is identified by the UTC instant
of its local start, which is what the delivery key stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_MINUTE = 9 * 60  # 09:00
MINUTES_PER_DAY = 24 * 60
# Kazakhstan moved to a single zone, UTC+5, on 1 March 2024; older tz data still says +6.
ALMATY = "Asia/Almaty"
ALMATY_OFFSET = timedelta(hours=5)
ALMATY_SINCE = datetime(2024, 3, 1, 12, tzinfo=UTC)


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Schedule:
    frequency: Frequency = Frequency.DAILY
    minute_of_day: int = DEFAULT_MINUTE
    weekday: int = 0  # Monday; weekly digests only

    def __post_init__(self) -> None:
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY:
            raise ValueError(f"minute of day out of range: {self.minute_of_day}")
        if not 0 <= self.weekday < 7:
            raise ValueError(f"weekday out of range: {self.weekday}")

    @property
    def local_time(self) -> time:
        return time(self.minute_of_day // 60, self.minute_of_day % 60)


def zone_for(name: str) -> tzinfo:
    """The digest time zone; Almaty is UTC+5 whatever the installed tz data says."""
    if name == ALMATY:
        try:
            zone: tzinfo = ZoneInfo(name)
        except ZoneInfoNotFoundError:
            return timezone(ALMATY_OFFSET, ALMATY)
        if ALMATY_SINCE.astimezone(zone).utcoffset() != ALMATY_OFFSET:
            return timezone(ALMATY_OFFSET, ALMATY)
        return zone
    return ZoneInfo(name)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive values (SQLite returns them) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _local_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _period_day(schedule: Schedule, day: date) -> date:
    """The first local day of the period that contains `day`."""
    if schedule.frequency is Frequency.WEEKLY:
        return day - timedelta(days=day.weekday())
    return day


def period_start(schedule: Schedule, moment: datetime, zone: tzinfo) -> datetime:
    """The start (UTC) of the period that contains `moment`."""
    local_day = as_utc(moment).astimezone(zone).date()
    return _local_start(_period_day(schedule, local_day), zone)


def _slot_of(schedule: Schedule, first_day: date, zone: tzinfo) -> datetime:
    """The slot (UTC) of the period starting on local day `first_day`."""
    day = first_day
    if schedule.frequency is Frequency.WEEKLY:
        day = first_day + timedelta(days=schedule.weekday)
    return datetime.combine(day, schedule.local_time, tzinfo=zone).astimezone(UTC)


def _step(schedule: Schedule) -> timedelta:
    return timedelta(days=7 if schedule.frequency is Frequency.WEEKLY else 1)


def last_slot(schedule: Schedule, now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The most recent slot at or before `now`, with the start of its period (both UTC)."""
    now = as_utc(now)
    first_day = _period_day(schedule, now.astimezone(zone).date())
    slot = _slot_of(schedule, first_day, zone)
    if slot > now:
        first_day -= _step(schedule)
        slot = _slot_of(schedule, first_day, zone)
    return slot, _local_start(first_day, zone)


def due_period(schedule: Schedule, now: datetime, zone: tzinfo, *, force: bool = False) -> datetime:
    """The period a digest sent at `now` belongs to.

    On schedule it is the period of the latest slot that has come, so that after downtime
    the missed slots collapse into one digest; forced (`digest --now`) it is the current
    period, as if its slot had come.
    """
    if force:
        return period_start(schedule, now, zone)
    return last_slot(schedule, now, zone)[1]


def next_slot(
    schedule: Schedule, now: datetime, zone: tzinfo, handled: datetime | None = None
) -> datetime:
    """The first slot after `now` whose period comes after the `handled` one."""
    now = as_utc(now)
    first_day = _period_day(schedule, now.astimezone(zone).date())
    while True:
        slot = _slot_of(schedule, first_day, zone)
        start = _local_start(first_day, zone)
        if slot > now and (handled is None or start > as_utc(handled)):
            return slot
        first_day += _step(schedule)


def parse_time(text: str) -> int | None:
    """A time of day as typed ("08:00", "8:30", "8") in minutes after midnight, or None."""
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or len(hours) > 2 or (minutes and not minutes.isdigit()):
        return None
    if minutes and len(minutes) != 2:
        return None
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def format_time(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"
