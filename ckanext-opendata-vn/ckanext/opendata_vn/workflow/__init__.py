"""Annual catalog approval: states, transitions with their history, auth,
actions and pages (Danh mục dữ liệu mở tỉnh … năm …).

Workflow state lives on the catalog and entry records (docs/decisions.md §4); CKAN's
`private` flag hides proposals from the public until the catalog is published.
"""

# what other features may import: nothing (no other feature uses the workflow's modules)
PUBLIC = ()
