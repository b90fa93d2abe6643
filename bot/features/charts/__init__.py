"""Charts where a picture says it faster than a list.

`spec` picks the figures of a chart and words them in the current language; `draw`
paints a spec into a PNG with matplotlib's Agg backend; `service` caches the PNGs per
store version and language; `replies` builds the Telegram answers. Only `draw` imports
matplotlib, and only when the first chart is drawn, so the bot starts without paying
for it. Which topics offer a chart is domain knowledge (`bot.domain.charts`).
"""
