"""The province's own identity (branding), Vietnamese forms, and the 2025 reorganisation."""
