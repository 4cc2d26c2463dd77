"""The stories part of the store (placeholder until its issue lands)."""
from __future__ import annotations


class StoriesMixin:
    pass
