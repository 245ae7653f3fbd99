#!/usr/bin/env python
"""Vietnamese catalogue of the portal: which UI strings need a translation, and ours.

CKAN merges every ``ITranslation`` catalogue for the request's locale into ONE gettext
catalogue (flask_babel ``Domain.get_translations`` -> ``babel.support.Translations.merge``,
a plain ``dict.update``): CKAN core's ``ckan.mo`` first, then the plugins in reverse
``ckan.plugins`` order. ``opendata_vn`` is listed first, so its catalogue is merged last
and any msgid in it - ours, CKAN core's, scheming's, harvest's, dcat's - wins.

Sources of msgids (computed from the installed packages, never a hard-coded list):

* ``core``: ``ckan/i18n/ckan.pot`` plus strings extracted from the installed CKAN
  (``ckan/`` and the core extensions except activity) that the .pot, built for
  2.11.0b0, does not list yet;
* ``activity``: the same for ``ckanext/activity`` (shipped with CKAN, catalogued in
  ``ckan.pot``);
* ``scheming``, ``harvest``, ``dcat``: their ``.pot`` (if shipped) plus extraction from
  their installed python, templates and javascript.

A core/activity msgid needs us when core's ``vi/LC_MESSAGES/ckan.po`` has no
non-fuzzy translation; an extension msgid always needs us (none ships ``vi``).

Usage (from the repository root)::

    .venv/bin/python scripts/i18n.py status     # counts per source, what is missing
    .venv/bin/python scripts/i18n.py update     # add missing msgids to our .po/.pot
    .venv/bin/python scripts/i18n.py check      # empty msgstrs, placeholders, NFC
    .venv/bin/python scripts/i18n.py compile    # .po -> .mo (pybabel compile)
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import unicodedata
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field

import polib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUR_I18N = os.path.join(REPO, "ckanext-opendata-vn", "ckanext", "opendata_vn", "i18n")
OUR_DOMAIN = "ckanext-opendata_vn"
OUR_SOURCE = os.path.join(REPO, "ckanext-opendata-vn", "ckanext", "opendata_vn")

# Core extensions shipped inside the ckan distribution whose strings are in ckan.pot
# (examples are developer documentation, never enabled on the portal).
CORE_EXTENSIONS = (
    "datastore", "datatablesview", "datapusher", "stats", "tracking",
    "expire_api_token", "textview", "imageview", "videoview", "audioview",
    "webpageview", "resourceproxy", "tabledesigner", "multilingual",
)
EXTENSIONS = ("scheming", "harvest", "dcat")

# msgids passed to gettext as variables, so no extractor sees them: {source: msgids}.
DYNAMIC = {
    # _(pkg_dict.state) in package/snippets/additional_info.html, _(user.state)
    "core": ("active", "draft", "deleted", "pending"),
    # job/list.html and snippets/job_details.html: _(action), _(job.status);
    # helpers.harvest_frequencies(): _(f.title())
    "harvest": ("added", "updated", "deleted", "not modified", "errored",
                "New", "Running", "Finished", "Aborted",
                "Manual", "Monthly", "Weekly", "Biweekly", "Daily", "Always"),
    # helpers.harvester_types(): _(harvester_info["title"])
    "dcat": ("DCAT JSON Harvester", "Generic DCAT RDF Harvester"),
}
SOURCES = ("core", "activity") + EXTENSIONS

# First matching pattern wins (babel semantics).
METHOD_MAP = [
    ("**/tests/**", "ignore"),
    ("**/migration/**", "ignore"),
    ("**/vendor/**", "ignore"),
    ("**/node_modules/**", "ignore"),
    ("**/*.min.js", "ignore"),
    ("**/webassets/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**/templates/**.txt", "ckan.lib.extract:extract_ckan"),
    ("**/2.8_templates/**", "ignore"),
    ("**.js", "javascript"),
]
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "ungettext": (1, 2),
    "ugettext": None, "N_": None, "lazy_gettext": None, "pgettext": ((1, "c"), 2),
}


def site_packages() -> str:
    import ckan
    return os.path.dirname(os.path.dirname(os.path.abspath(ckan.__file__)))


def ckan_i18n_dir() -> str:
    return os.path.join(site_packages(), "ckan", "i18n")


@dataclass
class Msg:
    msgid: str
    msgid_plural: str = ""
    occurrences: list = field(default_factory=list)
    python_format: bool = False

    def merge(self, other: "Msg") -> None:
        self.msgid_plural = self.msgid_plural or other.msgid_plural
        self.python_format = self.python_format or other.python_format
        for occ in other.occurrences:
            if occ not in self.occurrences:
                self.occurrences.append(occ)


def _add(catalog: "OrderedDict[str, Msg]", msg: Msg) -> None:
    if not msg.msgid:
        return
    if msg.msgid in catalog:
        catalog[msg.msgid].merge(msg)
    else:
        catalog[msg.msgid] = msg


def _from_pot(path: str) -> "OrderedDict[str, Msg]":
    out: "OrderedDict[str, Msg]" = OrderedDict()
    for e in polib.pofile(path):
        if e.obsolete:
            continue
        _add(out, Msg(e.msgid, e.msgid_plural or "", list(e.occurrences),
                      "python-format" in e.flags))
    return out


def _extract(dirname: str, prefix: str) -> "OrderedDict[str, Msg]":
    from babel.messages.extract import extract_from_dir
    out: "OrderedDict[str, Msg]" = OrderedDict()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
                dirname, METHOD_MAP, {}, keywords=KEYWORDS, strip_comment_tags=True):
            if isinstance(message, (tuple, list)):
                msgid, plural = message[0], message[1] or ""
            else:
                msgid, plural = message, ""
            if not msgid:
                continue
            _add(out, Msg(msgid, plural,
                          [(prefix + "/" + filename.replace(os.sep, "/"), str(lineno))],
                          bool(re.search(r"%(\(\w+\))?[sdif]", msgid))))
    return out


def _activity_occurrence(msg: Msg) -> bool:
    return any(o[0].startswith("ckanext/activity/") for o in msg.occurrences)


def collect() -> "OrderedDict[str, OrderedDict[str, Msg]]":
    """{source: {msgid: Msg}} of every msgid the portal's UI may show."""
    site = site_packages()
    pot = _from_pot(os.path.join(ckan_i18n_dir(), "ckan.pot"))
    core: "OrderedDict[str, Msg]" = OrderedDict()
    activity: "OrderedDict[str, Msg]" = OrderedDict()
    for msg in pot.values():
        only_activity = msg.occurrences and all(
            o[0].startswith("ckanext/activity/") for o in msg.occurrences)
        _add(activity if only_activity else core, msg)
    extracted = _extract(os.path.join(site, "ckan"), "ckan")
    for ext in CORE_EXTENSIONS:
        for msg in _extract(os.path.join(site, "ckanext", ext), "ckanext/" + ext).values():
            _add(extracted, msg)
    for msg in extracted.values():
        if msg.msgid not in pot:
            _add(core, msg)
    for msg in _extract(os.path.join(site, "ckanext", "activity"), "ckanext/activity").values():
        if msg.msgid not in pot:
            _add(activity, msg)

    out: "OrderedDict[str, OrderedDict[str, Msg]]" = OrderedDict(
        [("core", core), ("activity", activity)])
    for ext in EXTENSIONS:
        cat: "OrderedDict[str, Msg]" = OrderedDict()
        ext_dir = os.path.join(site, "ckanext", ext)
        ext_pot = os.path.join(ext_dir, "i18n", "ckanext-%s.pot" % ext)
        if os.path.isfile(ext_pot):
            cat = _from_pot(ext_pot)
        for msg in _extract(ext_dir, "ckanext/" + ext).values():
            _add(cat, msg)
        out[ext] = cat
    for name, msgids in DYNAMIC.items():
        for msgid in msgids:
            _add(out[name], Msg(msgid, occurrences=[("(dynamic)/" + name, "")]))
    return out


OUR_METHOD_MAP = [
    # every template of ours: each Vietnamese msgid needs its English in i18n/en
    ("**/templates/**.html", "ckan.lib.extract:extract_ckan"),
    ("**/tests/**", "ignore"),
    ("**/migration/**", "ignore"),
    ("**.py", "python"),
]


def our_msgids() -> "OrderedDict[str, Msg]":
    """Our own UI text: Vietnamese msgids in our python (English lives in i18n/en)."""
    from babel.messages.extract import extract_from_dir
    out: "OrderedDict[str, Msg]" = OrderedDict()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for filename, lineno, message, _c, _ctx in extract_from_dir(
                OUR_SOURCE, OUR_METHOD_MAP, {}, keywords=KEYWORDS):
            msgid, plural = (message[0], message[1] or "") if isinstance(
                message, (tuple, list)) else (message, "")
            if msgid:
                _add(out, Msg(msgid, plural, [(
                    "ckanext/opendata_vn/" + filename.replace(os.sep, "/"), str(lineno))]))
    return out


def _translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def load_po(path: str) -> "dict[str, polib.POEntry]":
    if not os.path.isfile(path):
        return {}
    return {e.msgid: e for e in polib.pofile(path) if _translated(e)}


def core_vi() -> "dict[str, polib.POEntry]":
    return load_po(os.path.join(ckan_i18n_dir(), "vi", "LC_MESSAGES", "ckan.po"))


def our_po_path(lang: str = "vi") -> str:
    return os.path.join(OUR_I18N, lang, "LC_MESSAGES", OUR_DOMAIN + ".po")


def needed(sources=None) -> "OrderedDict[str, OrderedDict[str, Msg]]":
    """The msgids each source needs from our catalogue (core vi lacks them)."""
    sources = sources or collect()
    core = core_vi()
    out: "OrderedDict[str, OrderedDict[str, Msg]]" = OrderedDict()
    for name, cat in sources.items():
        if name in ("core", "activity"):
            out[name] = OrderedDict((k, m) for k, m in cat.items() if k not in core)
        else:
            out[name] = OrderedDict(cat)
    return out


# --- placeholders ---------------------------------------------------------------------

_PLACEHOLDER_RE = re.compile(
    r"%\([A-Za-z_]\w*\)[-+ #0]*\d*(?:\.\d+)?[sdifr]"   # %(name)s
    r"|%[-+ #0]*\d*(?:\.\d+)?[sdifr]"                   # %s %d
    r"|\{[A-Za-z_]\w*(?:\[[^\]]*\])?(?:\.\w+)*(?:![rsa])?(?::[^{}]*)?\}"  # {name} {0}
    r"|\{\d*\}"
    r"|</?[a-zA-Z][a-zA-Z0-9]*"                            # HTML tag names
    r"|&[a-z]+;"                                           # entities
)


def placeholders(text: str) -> list:
    found = [p for p in _PLACEHOLDER_RE.findall(text.replace("%%", ""))]
    return sorted(found)


def placeholder_problems(msgid: str, msgstr: str, msgid_plural: str = "") -> "str | None":
    """Same placeholders and HTML tags (as multisets) in msgid and msgstr. Vietnamese
    has one plural form for every n: it may follow the singular or the plural msgid
    (babel's checker rejects a named placeholder the singular msgid lacks)."""
    b = placeholders(msgstr)
    candidates = [placeholders(msgid)]
    if msgid_plural:
        candidates.append(placeholders(msgid_plural))
    if b not in candidates:
        return "placeholders %r != %r" % (candidates[-1], b)
    return None


# --- commands -------------------------------------------------------------------------

def cmd_status(args) -> int:
    sources = collect()
    need = needed(sources)
    ours = load_po(our_po_path())
    total_missing = 0
    for name, cat in sources.items():
        missing = [k for k in need[name] if k not in ours]
        total_missing += len(missing)
        print("%-9s %5d msgids, %5d need our catalogue, %5d still untranslated"
              % (name, len(cat), len(need[name]), len(missing)))
        if args.verbose:
            for k in missing:
                print("    " + repr(k))
    ours = our_msgids()
    en = load_po(our_po_path("en"))
    missing = [k for k in ours if k not in en]
    total_missing += len(missing)
    print("%-9s %5d msgids (Vietnamese), %5d without English" % ("ours", len(ours), len(missing)))
    if args.verbose:
        for k in missing:
            print("    " + repr(k))
    return 1 if total_missing else 0


def _header(po: polib.POFile, lang: str, previous: "polib.POFile | None" = None) -> None:
    """Fixed header; the dates are kept from the previous file so that re-running
    update/compile on unchanged catalogues changes no byte (babel stamps "now" into
    the .mo when a .po has no POT-Creation-Date)."""
    old = previous.metadata if previous is not None else {}
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata = OrderedDict([
        ("Project-Id-Version", "ckanext-opendata-vn 0.1.0"),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", old.get("POT-Creation-Date", now)),
        ("PO-Revision-Date", old.get("PO-Revision-Date", now)),
        ("Language", lang),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", "nplurals=1; plural=0;" if lang == "vi"
         else "nplurals=2; plural=(n != 1);"),
    ])
    if not lang:
        del po.metadata["Language"]


def cmd_update(args) -> int:
    """Write our .pot (every msgid we carry, with occurrences: CKAN's JS translation
    build reads the .js occurrences from it) and add missing msgids to vi .po."""
    sources = collect()
    need = needed(sources)
    path = our_po_path()
    old = polib.pofile(path) if os.path.isfile(path) else None
    existing = {e.msgid: e for e in old} if old else {}

    wanted: "OrderedDict[str, Msg]" = OrderedDict()
    for name in SOURCES:
        for msg in need[name].values():
            _add(wanted, Msg(msg.msgid, msg.msgid_plural, list(msg.occurrences),
                             msg.python_format))
    # core strings we deliberately override (kept once translated by us)
    all_msgs: "dict[str, Msg]" = {}
    for cat in sources.values():
        for k, m in cat.items():
            all_msgs.setdefault(k, m)
    for k, e in existing.items():
        if k and k not in wanted and k in all_msgs:
            wanted[k] = all_msgs[k]

    po = polib.POFile(wrapwidth=0)
    _header(po, "vi", old)
    pot = polib.POFile(wrapwidth=0)
    pot_path = os.path.join(OUR_I18N, OUR_DOMAIN + ".pot")
    _header(pot, "", polib.pofile(pot_path) if os.path.isfile(pot_path) else None)
    added = 0
    for k, msg in wanted.items():
        flags = ["python-format"] if msg.python_format else []
        occ = sorted(set(msg.occurrences))
        old_e = existing.get(k)
        e = polib.POEntry(msgid=k, msgid_plural=msg.msgid_plural, occurrences=occ,
                          flags=list(flags))
        if msg.msgid_plural:
            e.msgstr_plural = {0: old_e.msgstr_plural.get(0, "")} if old_e and \
                old_e.msgstr_plural else {0: ""}
        else:
            e.msgstr = old_e.msgstr if old_e else ""
        if old_e and old_e.tcomment:
            e.tcomment = old_e.tcomment
        if old_e is None:
            added += 1
        po.append(e)
        t = polib.POEntry(msgid=k, msgid_plural=msg.msgid_plural, occurrences=occ,
                          flags=list(flags))
        if msg.msgid_plural:
            t.msgstr_plural = {0: "", 1: ""}
        pot.append(t)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    po.save(path)
    print("%s: %d entries (%d new)" % (path, len(po), added))

    # our own Vietnamese source strings: no vi entry needed (msgid is the Vietnamese
    # text), English in en/
    en_path = our_po_path("en")
    en_file = polib.pofile(en_path) if os.path.isfile(en_path) else None
    en_old = {e.msgid: e for e in en_file} if en_file is not None else {}
    en = polib.POFile(wrapwidth=0)
    _header(en, "en", en_file)
    en_added = 0
    for k, msg in our_msgids().items():
        occ = sorted(set(msg.occurrences))
        old_e = en_old.get(k)
        e = polib.POEntry(msgid=k, msgid_plural=msg.msgid_plural, occurrences=occ)
        if msg.msgid_plural:
            e.msgstr_plural = dict(old_e.msgstr_plural) if old_e and old_e.msgstr_plural \
                else {0: "", 1: ""}
        else:
            e.msgstr = old_e.msgstr if old_e else ""
        en_added += old_e is None
        en.append(e)
        t = polib.POEntry(msgid=k, msgid_plural=msg.msgid_plural, occurrences=occ)
        if msg.msgid_plural:
            t.msgstr_plural = {0: "", 1: ""}
        pot.append(t)
    os.makedirs(os.path.dirname(en_path), exist_ok=True)
    en.save(en_path)
    print("%s: %d entries (%d new)" % (en_path, len(en), en_added))
    pot.save(pot_path)
    return 0


def cmd_check(args) -> int:
    problems = 0
    for lang in ("vi", "en"):
        path = our_po_path(lang)
        if not os.path.isfile(path):
            continue
        for e in polib.pofile(path):
            if e.obsolete:
                continue
            strs = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
            for s in strs:
                if not s:
                    print("%s: empty: %r" % (lang, e.msgid))
                    problems += 1
                    continue
                if unicodedata.normalize("NFC", s) != s:
                    print("%s: not NFC: %r" % (lang, e.msgid))
                    problems += 1
                p = placeholder_problems(e.msgid, s, e.msgid_plural)
                if p:
                    print("%s: %s: %r -> %r" % (lang, p, e.msgid, s))
                    problems += 1
            if "fuzzy" in e.flags:
                print("%s: fuzzy: %r" % (lang, e.msgid))
                problems += 1
    print("%d problem(s)" % problems)
    return 1 if problems else 0


def cmd_compile(args) -> int:
    pybabel = os.path.join(os.path.dirname(sys.executable), "pybabel")
    rc = 0
    for lang in sorted(os.listdir(OUR_I18N)):
        po = our_po_path(lang)
        if os.path.isfile(po):
            rc |= subprocess.call([pybabel, "compile", "--statistics", "-D", OUR_DOMAIN,
                                   "-d", OUR_I18N, "-l", lang])
    return rc


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("status")
    s.add_argument("-v", "--verbose", action="store_true")
    sub.add_parser("update")
    sub.add_parser("check")
    sub.add_parser("compile")
    args = parser.parse_args(argv)
    return {"status": cmd_status, "update": cmd_update, "check": cmd_check,
            "compile": cmd_compile}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
