"""The Telegram application and the composition root.

Owns the wiring: settings in, then the engine, bot and dispatcher (`dispatcher`), the
middlewares that hand repositories to handlers, the FSM backend, the command menu, long
polling or the webhook server (`runner`, `webhook`), and the command line's subcommands
(`cli`). It may import everything in `bot` and the `handlers` routers; nothing in `bot`
imports it.
"""
