"""Insight in the conversation: the week, the digests, search, the ledger, the garden.

`feature.register` wires them in; /due lives in bot/engine/due.py.
"""
