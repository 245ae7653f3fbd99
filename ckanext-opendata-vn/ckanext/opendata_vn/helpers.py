"""Template helpers (registered by the plugin through ITemplateHelpers)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn import vocab


def province_name() -> str:
    """The portal's own province, in the language of the current request."""
    if tk.h.lang() == "en":
        return tk.config.get("ckanext.opendata_vn.province_en")
    return tk.config.get("ckanext.opendata_vn.province")


def _choices(rows):
    return [{"value": code, "label": {"vi": vi, "en": en}} for code, vi, en in rows]


def theme_choices(field=None):
    return _choices((t.code, t.title_vi, t.title_en) for t in vocab.THEMES)


def frequency_choices(field=None):
    return _choices((f.code, f.label_vi, f.label_en) for f in vocab.FREQUENCIES)


def source_choices(field=None):
    return _choices(vocab.SOURCE_TYPES)


def status_choices(field=None):
    return _choices(vocab.PUBLICATION_STATUSES)


def level_choices(field=None):
    return _choices(vocab.AGENCY_LEVELS)


def get_helpers():
    return {
        "opendata_vn_province": province_name,
        "opendata_vn_theme_choices": theme_choices,
        "opendata_vn_frequency_choices": frequency_choices,
        "opendata_vn_source_choices": source_choices,
        "opendata_vn_status_choices": status_choices,
        "opendata_vn_level_choices": level_choices,
    }
