"""Reminders as pure rules: when they fall due, when a human may be pinged, what to plan."""
