"""Understanding free-text meeting notes."""
