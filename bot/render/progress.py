"""Progress of long work: a bar on a terminal, plain lines otherwise (logs, pipes)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from tqdm import tqdm


class Progress:
    def __init__(self, total: int, label: str, out: TextIO = sys.stderr) -> None:
        self.out = out
        self.total = total
        self.done = 0
        self.label = label
        self._bar = tqdm(total=total, desc=label, file=out, unit="") if out.isatty() else None

    def step(self, note: str) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(note[:40], refresh=False)
            self._bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {self.label}: {note}", file=self.out)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
