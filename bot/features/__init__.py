"""Features built on the layers below: sending (one outgoing limiter, local or shared
through Redis), digests, charts and the CSV export.

Each feature may import `bot.render`, `bot.queries`, `bot.storage`, `bot.pipeline` and
`bot.domain`. Charts, export and digests do not import each other; digests send through
`bot.features.sending`. Nothing here imports the Telegram wiring (`bot.app`) or `handlers`.
"""
