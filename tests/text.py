"""Hostile text for tests, as far as each database can store it."""

from django.db import connection


def storable(text):
    """`text` as the database can hold it: PostgreSQL refuses NUL, SQLite keeps it."""
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text
