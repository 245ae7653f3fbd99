"""Keeping the portal serving while Solr, Redis or PostgreSQL restart (issue #12)."""

PUBLIC = ("fallback",)
