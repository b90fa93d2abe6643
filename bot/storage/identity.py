"""When two documents state the same figure.

A figure is the same when its indicator (metric, object, rate), its subject (the
gazetteer's entity, else the subject as written), its period, unit and status agree
and its value agrees within rounding. The first five go into one digest, stored with
the fact and indexed, so a new document's figures are matched against the store with
one indexed look-up; the values are compared afterwards (`same_value`).
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

# Values are compared in the steps a text names them in (thousands, millions, …),
# as "2,8 тыс." or "1,2 млрд" round them; below a thousand, as written.
STEP = 3


def identity(
    *,
    metric: str,
    object: str | None,
    per: str | None,
    entity_key: str | None,
    subject: str,
    period: str | None,
    unit: str,
    status: str,
) -> str:
    who = entity_key or " ".join(subject.casefold().split())
    what = " ".join((object or "").casefold().split())
    text = "\x1f".join((metric, what, per or "", who, period or "", unit, status))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _decimals(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]


def same_value(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal once the more precise is rounded to the other's precision, both read in
    the step of the larger: 312,48 is 312,5; 2 750 is "2,8 тыс."; 101 is not 100."""
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    if (a < 0) != (b < 0):
        return False
    larger = max(abs(a), abs(b))
    exponent = larger.adjusted() // STEP * STEP if larger >= 1000 else 0
    a, b = a.scaleb(-exponent), b.scaleb(-exponent)
    places = min(_decimals(a), _decimals(b))
    quantum = Decimal(1).scaleb(-places)
    return a.quantize(quantum, ROUND_HALF_UP) == b.quantize(quantum, ROUND_HALF_UP)
