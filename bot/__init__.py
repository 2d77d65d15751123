"""Rapport Coach: a chat coach for authentic, long-term professional relationships."""

__version__ = "0.1.0"
