"""Harvesting agency workbooks (vn_excel) and JSON APIs (vn_api) into catalog datasets.

    gather  (base.py)      one harvest object per source: the dataset it fulfils
    fetch   (fetch.py)     download with size cap and timeouts, content hash, ETag
    import  (tabular.py)   header detection, Vietnamese number/date typing
            (publish.py)   original + CSV + JSON resources, DataStore (datastore.py)
    when    (scheduler.py) the catalog entry's tần suất decides when a job is created

Everything a focal officer needs to see (next due date, last result, what the run did)
comes from source_status.py, shown on the dataset's "Nguồn dữ liệu" tab (views.py) and in the
API (logic.py).
"""
