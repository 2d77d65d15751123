"""The conversation engine shared by every channel."""
