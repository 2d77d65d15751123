"""Persistence: the repository port and its TinyDB implementation."""
