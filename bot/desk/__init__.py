"""The editor's desk as a Telegram Mini App: a web page opened from a button in chat.

`auth.py` checks the launch data Telegram signs (pure), `api.py` is the aiohttp sub-application
(the page, its static files and a small JSON API calling the same services as the chat
commands), `static/` the page itself (plain files, no build step). Rank 3, beside
`bot/telegram`, which it never imports: the composition root hands the sub-application to
the runner, which mounts it next to the webhook or serves it on its own in polling mode.
"""
