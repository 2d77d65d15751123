"""Channels: thin adapters that carry engine replies to people."""
