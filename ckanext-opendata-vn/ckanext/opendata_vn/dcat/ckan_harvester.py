"""`vn_ckan`: ckanext-harvest's CKAN harvester, mapping a stock CKAN portal's datasets
into our schema (the reverse of what a portal on this software already carries).

A stock CKAN dataset has no Decree 47 fields: the theme comes from its groups or tags
matched against our theme aliases ("Giáo dục", "education" …), else "Khác" for the IT
staff to review; the province is this portal's; everything the remote portal does carry
(title, notes, tags, resources, licence) is kept, and the dataset's origin stays in `url`.
Fields curated here are protected by `ckan.harvest.not_overwrite_fields` as for `ckan`.
"""
from __future__ import annotations

import json

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester
from ckanext.harvest.interfaces import IHarvester

from ckanext.opendata_vn import vocab

# English group names stock portals often use, mapped to our themes
ENGLISH_THEMES = {
    "education": "giao-duc", "health": "y-te", "transport": "giao-thong", "transportation": "giao-thong",
    "environment": "tai-nguyen-moi-truong", "agriculture": "nong-nghiep", "economy": "kinh-te",
    "finance": "tai-chinh", "justice": "tu-phap", "culture": "van-hoa-du-lich", "tourism": "van-hoa-du-lich",
    "science": "khoa-hoc-cong-nghe", "technology": "cong-nghe-thong-tin", "society": "xa-hoi",
    "construction": "xay-dung", "labour": "lao-dong", "government": "noi-vu",
}


def theme_for(package_dict: dict) -> str:
    if package_dict.get("theme") in vocab.THEME_BY_CODE:
        return package_dict["theme"]
    candidates = [g.get(k) for g in package_dict.get("groups") or [] for k in ("title", "display_name", "name")]
    candidates += [t.get("display_name") or t.get("name") for t in package_dict.get("tags") or []]
    for text in filter(None, candidates):
        theme = vocab.match_theme(text) or vocab.THEME_BY_CODE.get(ENGLISH_THEMES.get(vocab.fold(text), ""))
        if theme:
            return theme.code
    return "khac"


class VnCkanHarvester(CKANHarvester):
    p.implements(IHarvester)  # a plugin subclass is registered only for what it declares

    def __new__(cls, *args, **kwargs):
        # SingletonPlugin keeps its instance in `cls._instance`, which a subclass would
        # inherit from the loaded `ckan_harvester`: keep one of our own
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def info(self):
        return {
            "name": "vn_ckan",
            "title": tk._("Cổng CKAN khác (ánh xạ vào Danh mục)"),
            "description": tk._("Thu thập tập dữ liệu qua API của một cổng CKAN bất kỳ và ánh xạ vào "
                                "các cột Danh mục dữ liệu mở (chủ đề theo nhóm hoặc từ khóa)."),
            "form_config_interface": "Text",
        }

    def modify_package_dict(self, package_dict, harvest_object):
        # the remote groups as published (the CKAN harvester has already dropped the
        # ones that are not local groups by the time it calls this)
        try:
            original = json.loads(harvest_object.content or "{}")
        except ValueError:
            original = {}
        package_dict["theme"] = theme_for({**package_dict, "groups": original.get("groups") or []})
        package_dict.setdefault("province", tk.config.get("ckanext.opendata_vn.province"))
        package_dict.setdefault("publication_status",
                                "published" if package_dict.get("resources") else "planned")
        if package_dict.get("publication_status") == "published" and not package_dict.get("notes"):
            package_dict["publication_status"] = "planned"  # a description is required to publish
        # remote groups are not ours: the theme decides the group (catalog/themes.py)
        package_dict["groups"] = []
        return package_dict
