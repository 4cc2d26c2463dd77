"""Factdesk: a newsroom fact-check dashboard's library (store, pipeline, CLI)."""
