"""The Telegram bot: `briefbot telegram`."""
