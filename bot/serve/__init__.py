"""Scale-out workers over PostgreSQL: Telegram webhooks (`serve`) and reminder delivery."""
