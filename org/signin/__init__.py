"""Signing in: failed-sign-in throttling, session lengths and personal API tokens."""
