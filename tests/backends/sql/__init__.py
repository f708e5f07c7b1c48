"""Tests of the SQL backends against real PostgreSQL and SQLite databases."""
