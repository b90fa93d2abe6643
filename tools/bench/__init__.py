"""Benchmarks behind `make bench`. Each module offers `async def run() -> list[Figure]`.

Every figure prints as one line, `name: value unit (target …)`; where a baseline
exists the figure is a ratio measured against it in the same run.

Store benchmarks run on SQLite, and on PostgreSQL too when `BENCH_DATABASE_URL` (or else
`TEST_DATABASE_URL`) names a server where they may create a throwaway database; without
one they print a note instead of the PostgreSQL figures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str

    def line(self) -> str:
        return f"{self.name}: {self.value:.3g} {self.unit} (target {self.target})"


POSTGRES_ENV = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")


def postgres_server_url() -> str | None:
    """The PostgreSQL server the store benchmarks also run on, if any."""
    for name in POSTGRES_ENV:
        url = os.environ.get(name, "").strip()
        if url:
            return url
    return None


def skipped(name: str) -> str:
    """The line printed in place of a PostgreSQL figure when no server is named."""
    return f"{name}: skipped (no PostgreSQL: set {' or '.join(POSTGRES_ENV)})"
