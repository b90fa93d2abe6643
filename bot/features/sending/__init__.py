"""Sending: Telegram's limits kept for every outgoing message.

`limiter` is the in-process limiter (overall rate, one a second per chat, twenty a minute
per group, "retry after" obeyed); `shared` is the same limiter shared by several processes
through Redis; `answers` puts answers to users on the same overall budget as digests.
"""
