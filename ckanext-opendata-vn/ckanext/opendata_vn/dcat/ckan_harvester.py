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

import requests

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester, ContentFetchError
from ckanext.harvest.interfaces import IHarvester

from ckanext.opendata_vn.core import safe_http, vocab
from ckanext.opendata_vn.harvest import settings

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


class SafeCkanFetch:
    """What both CKAN harvesters change in ckanext-harvest's: every request goes through
    safe_http (public addresses or the source agency's allowed networks, pinned, each
    redirect checked, the api_key header never sent after a redirect), and a remote
    dataset whose id is a local dataset of another agency is never overwritten."""

    _agency: str | None = None

    def __new__(cls, *args, **kwargs):
        # SingletonPlugin keeps its instance in `cls._instance`, which a subclass would
        # inherit from its parent plugin: keep one of our own
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def gather_stage(self, harvest_job):
        self._agency = safe_http.agency_of_source(harvest_job.source)
        return super().gather_stage(harvest_job)

    def import_stage(self, harvest_object):
        self._agency = safe_http.agency_of_source(harvest_object.source)
        if self._foreign_dataset(harvest_object):
            self._save_object_error(
                "Tập dữ liệu cùng mã định danh thuộc đơn vị khác: không ghi đè. / "
                "A dataset with the same identifier belongs to another agency: not overwritten.",
                harvest_object, "Import")
            return False
        return super().import_stage(harvest_object)

    def _foreign_dataset(self, harvest_object) -> bool:
        """The remote id (kept as the local id) or name is another agency's dataset
        this source did not bring."""
        from ckanext.harvest.model import HarvestObject
        try:
            remote = json.loads(harvest_object.content or "{}")
        except ValueError:
            return False
        source_pkg = model.Package.get(harvest_object.source.id)
        for ref in (remote.get("id"), remote.get("name")):
            local = model.Package.get(ref) if ref else None
            if local is None or local.type == "harvest" and local.id == harvest_object.source.id:
                continue
            if source_pkg is not None and local.owner_org == source_pkg.owner_org:
                continue
            brought = model.Session.query(HarvestObject.id).filter(
                HarvestObject.package_id == local.id,
                HarvestObject.harvest_source_id == harvest_object.source.id).first()
            if brought is None:
                return True
        return False

    def _get_content(self, url):
        headers = {"User-Agent": str(self.config.get("user_agent") or settings.get("user_agent"))}
        if self.config.get("api_key"):
            headers["Authorization"] = self.config["api_key"]
        session = safe_http.SafeSession(self._agency, secret_headers=("Authorization",))
        try:
            response = session.get(url, headers=headers,
                                   timeout=(settings.get("connect_timeout"), settings.get("read_timeout")))
            return response.text
        except requests.RequestException as e:
            raise ContentFetchError(f"Request error: {e}")
        finally:
            session.close()


class SafeCkanHarvester(SafeCkanFetch, CKANHarvester):
    """ckanext-harvest's `ckan` source type, fetched safely; loaded instead of its
    `ckan_harvester` plugin (config/common.ini: `ckan_safe_harvester`)."""
    p.implements(IHarvester)  # a plugin subclass is registered only for what it declares


class VnCkanHarvester(SafeCkanFetch, CKANHarvester):
    p.implements(IHarvester)

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
