"""From facts to text: number and date formatting, labels, keyboards, Telegram HTML, the
gettext catalogs (`i18n`) and the views that turn a query's answer into a reply.

May import `bot.queries`, `bot.storage`, `bot.pipeline` and `bot.domain`.

Everything here reads the language of the current update from aiogram's i18n
context, so callers pass facts, not locales.
"""
