"""Coaching content rules: pillars, what is known about a contact, draft selection, review."""
