"""briefbot's surfaces: the `briefbot` CLI, the local REPL and the Telegram bot. Thin over `index`."""
