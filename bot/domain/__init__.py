"""The pure domain: plain Python, no framework imports (a test enforces it)."""
