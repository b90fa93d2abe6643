"""Development tooling, apart from the runtime: the local Bot API emulator, the offline
chat console (`python -m tools.chat`) and the benchmarks (`python -m tools.bench`).

Tools may import anything in `bot` and `handlers`; the runtime never imports `tools`.
"""
