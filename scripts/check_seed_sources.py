#!/usr/bin/env python3
"""Check the catalog seed files against the source texts of their documents.

Maintenance command, not part of the test suite: the source texts are not in the
repository. Run it after re-extracting (catalog_seeds/_extract.py SOURCE_DIR) or editing
a seed file by hand:

    python scripts/check_seed_sources.py SOURCE_DIR

SOURCE_DIR holds the texts named in each file's `catalog.source_file`. Every legal-basis
line, title, agency, description line and short cell must occur in its (whitespace-
collapsed, markup-free) source text, except the cells a page break cuts in two there.
Prints what is missing and exits 1, else prints a line per file and exits 0.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "catalog_seeds"

# Cells that a page break (with a repeated table header) cuts in two in the source,
# so they cannot appear contiguously there: (file, theme_number, number, field).
PAGE_SPLIT = {
    ("bac-giang-2024", "I", "10", "title"),
    ("bac-giang-2024", "V", "24", "description"),
    ("dien-bien-plan-2023-2025", "II", "6", "title"),
    ("hung-yen-plan-2025", "V", "52", "title"),
    ("hung-yen-plan-2025", "XI", "109", "description"),
}


def clean_markup(s: str) -> str:
    """Same markup rules as catalog_seeds/_extract.py (only Hưng Yên's text has markup)."""
    s = re.sub(r"\s*<(su[pb])>(.*?)</\1>(\s+(?=[,)]))?", r"\2", s)
    s = re.sub(r"\(\s*<i>", "(", s)
    s = re.sub(r"</i>\s*\)", ")", s)
    return re.sub(r"</?(?:i|b)>", "", s)


def source_text(folder: Path, name: str) -> str:
    text = unicodedata.normalize("NFC", (folder / name).read_text(encoding="utf-8"))
    return " ".join(clean_markup(text).split())


def missing_cells(key: str, data: dict, src: str) -> set[tuple]:
    missing = {(key, "", "", line) for line in data["catalog"]["legal_basis"] if line not in src}
    for r in data["rows"]:
        pieces = [("title", r["title"])]
        pieces += [("agency", a.strip()) for a in r["agency"].split(";")]
        pieces += [("description", ln.removeprefix("- ")) for ln in r["description"].split("\n")]
        pieces += [(k, r[k]) for k in ("first_provided", "frequency", "source", "notes")]
        missing |= {(key, r["theme_number"], r["number"], field)
                    for field, text in pieces if text not in src}
    return missing - PAGE_SPLIT


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python scripts/check_seed_sources.py SOURCE_DIR", file=sys.stderr)
        return 2
    folder, failed = Path(argv[0]), False
    for path in sorted(SEEDS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = data["catalog"]["source_file"]
        if not (folder / name).is_file():
            print(f"{path.stem}: source text {name} is not in {folder}")
            failed = True
            continue
        missing = missing_cells(path.stem, data, source_text(folder, name))
        for item in sorted(missing):
            print(f"{path.stem}: not found in {name}: theme {item[1]} TT {item[2]} {item[3]}")
        failed |= bool(missing)
        print(f"{path.stem}: {len(data['rows'])} rows, {'MISMATCH' if missing else 'every cell found'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
