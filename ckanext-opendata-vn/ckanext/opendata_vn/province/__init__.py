"""The province's own identity (branding), Vietnamese forms, and the 2025 reorganisation."""

# what other features may import: the portal's home page hides ceased agencies (reorganisation)
PUBLIC = ("reorganisation",)
