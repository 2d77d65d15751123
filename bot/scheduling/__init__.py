"""Turning stored reminders into timely deliveries (APScheduler-driven)."""
