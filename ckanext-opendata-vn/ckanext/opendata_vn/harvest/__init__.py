"""Harvesting agency workbooks (vn_excel) and JSON APIs (vn_api) into catalog datasets.

    gather  (base.py)           one harvest object per source: the dataset it fulfils
    fetch   (core/fetch.py)     download with size cap and timeouts, content hash, ETag
    import  (core/tabular/)     header detection, Vietnamese number/date typing
            (guard.py)          the check a feature above registers (privacy: personal data)
            (publish.py)        original + CSV + JSON resources, DataStore
    when    (job_scheduler.py)  the catalog entry's tần suất decides when a job is created

Everything a focal officer needs to see (next due date, last result, what the run did)
comes from source_status.py, shown on the dataset's "Nguồn dữ liệu" tab (views.py) and in the
API (logic.py).
"""

# what other features may import: the publish step and resource roles (privacy, loader),
# source configs and settings (privacy, dcat), the table guard hook and the run state
# (privacy), the scheduler pass (resilience)
PUBLIC = ("base", "guard", "job_scheduler", "publish", "settings", "sources")
