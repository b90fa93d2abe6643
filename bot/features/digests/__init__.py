"""Digest subscriptions: when each chat is due, what its digest holds, and the fan-out that
delivers every digest exactly once within Telegram's limits.

The exactly-once protocol (see `bot.features.digests.fanout`):

1. *Claim.* One transaction inserts a delivery row per due subscriber with the unique key
   (chat, period) and moves the subscription on to its next period. A second claim of the
   same period — another process, a restart, `digest --now` run twice — inserts nothing.
2. *Mark, send, record.* Before each message the row is marked `sending` and that mark is
   committed; only then does the request leave. Its outcome is committed right after.
3. *Recover.* A row still `pending` after its holder died is sent by whoever claims it next:
   nothing of it went out. A row found `sending` may or may not have reached Telegram; it is
   never sent again, but counted as delivered and flagged `uncertain`.

So a restart never repeats a message. The residual window is the part in flight when a
process dies — between the committed `sending` mark and the committed outcome. A message
is marked only once it holds its overall send slot, right before the request leaves, so
these are the requests in the air: each arrives at most once (it is lost only if the
process died before the request left). Beyond that only Telegram itself can repeat a
message: a request whose answer was lost in the network (a timeout) is retried, and
Telegram has no idempotency key.
"""
