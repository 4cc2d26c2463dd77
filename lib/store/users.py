"""The users part of the store (placeholder until its issue lands)."""
from __future__ import annotations


class UsersMixin:
    pass
