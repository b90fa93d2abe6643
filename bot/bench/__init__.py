"""Benchmarks behind `make bench`. Each module offers `async def run() -> list[Figure]`.

Every figure prints as one line, `name: value unit (target …)`; where a baseline
exists the figure is a ratio measured against it in the same run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str

    def line(self) -> str:
        return f"{self.name}: {self.value:.3g} {self.unit} (target {self.target})"
