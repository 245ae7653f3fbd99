"""Template helpers for the DCAT side of the UI (registered through dcat/wiring.py)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def _harvester_texts() -> dict:
    _ = tk._
    return {
        "dcat_rdf": (_("Danh mục DCAT (DCAT-AP)"),
                     _("Thu thập các tập dữ liệu từ danh mục DCAT của một cổng khác "
                       "(Turtle, RDF/XML, JSON-LD), kể cả danh mục nhiều trang.")),
        "ckan": ("CKAN", _("Thu thập các tập dữ liệu qua API của một cổng CKAN khác.")),
    }


@tk.chained_helper
def harvesters_info(next_helper):
    """The harvester types offered on the "new harvest source" form, with Vietnamese
    titles for the DCAT and CKAN harvesters (ckanext-harvest shows `title` as is)."""
    texts = _harvester_texts()
    out = []
    for info in next_helper():
        if info.get("name") in texts:
            title, description = texts[info["name"]]
            info = dict(info, title=title, description=description)
        out.append(info)
    return out


def get_helpers() -> dict:
    return {"harvesters_info": harvesters_info}
