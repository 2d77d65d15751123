"""Insight over what the user logged: what needs attention, the week, search, balance, garden."""
