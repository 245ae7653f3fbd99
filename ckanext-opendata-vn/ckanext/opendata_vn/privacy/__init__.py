"""The personal-data guard (issue #8): uploads, harvested tables and DataStore writes
with personal data wait for an IT reviewer's decision."""

# what other features may import: the upload loader runs the guard on files sent with a
# dataset (package_guard) and on linked files (upload_guard), and loads no held-back
# resource (review.is_withheld); dcat/profile.py leaves held-back resources out (dcat)
PUBLIC = ("dcat", "package_guard", "review", "upload_guard")
