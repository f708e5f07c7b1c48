"""Bundled example data: API-shaped runs for the embedded default (SQLite)."""
