"""Short random identifiers for records."""

import secrets


def new_id(prefix: str) -> str:
    """Return an id like "c-3f9a1b2c4d5e", unguessable and unique in practice."""
    return f"{prefix}-{secrets.token_hex(6)}"
