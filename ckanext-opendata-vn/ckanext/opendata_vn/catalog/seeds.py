"""Catalog seed files (catalog_seeds/*.json): read and load them."""
from __future__ import annotations

import json
from pathlib import Path

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.catalog.loader import CatalogRejected, Summary, load_catalog, validate


def default_seed_files() -> list[Path]:
    folder = tk.config.get("ckanext.opendata_vn.seeds_path") or ""
    if not folder:
        folder = str(Path(__file__).resolve().parents[4] / "catalog_seeds")
    return sorted(Path(folder).glob("*.json"))


def read_seed(path: Path) -> tuple[dict, list[dict]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["catalog"], data["rows"]


def load_seed_files(paths: list[Path], user: str, progress=None) -> list[Summary]:
    """Load the files oldest catalog first, so a newer catalog's wording wins."""
    seeds = [(p, *read_seed(p)) for p in paths]
    seeds.sort(key=lambda s: (int(s[1].get("year") or 0), s[1].get("kind") != "plan", s[1].get("key")))
    # Every file is checked before any is written.
    errors = []
    for path, meta, rows in seeds:
        try:
            validate(path.name, meta, rows)
        except CatalogRejected as e:
            errors.extend(f"{path.name}: {err}" for err in e.errors)
    if errors:
        raise CatalogRejected(", ".join(p.name for p, _m, _r in seeds), errors)
    return [load_catalog(p.name, meta, rows, user=user,
                         progress=(lambda items, p=p: progress(items, p.name)) if progress else None)
            for p, meta, rows in seeds]
