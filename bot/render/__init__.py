"""From facts to text: number and date formatting, labels and Telegram HTML.

Everything here reads the language of the current update from aiogram's i18n
context, so callers pass facts, not locales.
"""
