"""Run the benchmarks and print one line per figure: `python -m tools.bench [NAME ...]`."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import subprocess
import sys
from collections.abc import Sequence

# Modules in tools.bench, run in this order, with what each measures.
BENCHMARKS = {
    "ingest": "documents a second through the pipeline alone and into the store",
    "fetch": "pages a second fetched from a local site and ingested, beside files",
    "zones": "/zones through the dispatcher against a bare handler",
    "search": "search and the inline answer on a generated store of a million facts",
    "inline": "inline answers through the dispatcher against a bare aiogram inline handler",
    "charts": "charts drawn cold and from the cache",
    "digest": "digest fan-out against the send limit",
    "footprint": "cold start and memory after many updates, against a bare aiogram echo bot",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench",
        description=__doc__,
        epilog="benchmarks:\n"
        + "\n".join(f"  {name:8} {what}" for name, what in BENCHMARKS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    return parser


async def run_one(name: str) -> int:
    module = importlib.import_module(f"tools.bench.{name}")
    for figure in await module.run():
        print(figure.line(), flush=True)
    return 0


def main(names: Sequence[str]) -> int:
    """One benchmark runs here; several run one process each, so that none measures
    what another left behind (imports, caches, a dispatcher's routers)."""
    names = list(names or BENCHMARKS)
    if len(names) == 1:
        return asyncio.run(run_one(names[0]))
    failed = 0
    for name in names:
        failed |= subprocess.run(
            [sys.executable, "-m", "tools.bench", name], check=False
        ).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    parser = build_parser()
    arguments = parser.parse_args()
    unknown = sorted(set(arguments.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)}")
    sys.exit(main(arguments.names))
