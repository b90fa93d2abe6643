"""Run every benchmark and print one line per figure."""

from __future__ import annotations

import asyncio
import importlib
import sys

# Modules in tools.bench, run in this order.
BENCHMARKS = [
    "ingest",
    "zones",
    "search",
    "charts",
    "digest",
    "footprint",
]


async def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"tools.bench.{name}")
        for figure in await module.run():
            print(figure.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
