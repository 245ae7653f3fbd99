"""Actions of the annual catalog workflow (registered through IActions).

Every action checks its auth function first (auth.py), then the state rules
(states.py); each transition is recorded in the history (history.py) in the same
database transaction as the change itself.
"""
from __future__ import annotations

import datetime
import re

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import formats

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog import agencies
from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from ckanext.opendata_vn.workflow import history, states
from ckanext.opendata_vn.core import roles
_ = tk._

# Dataset fields an entry form sets (the Decree 47 catalog columns).
DATASET_FIELDS = ("title", "notes", "data_fields", "theme", "first_provided", "first_provided_text",
                  "update_frequency", "update_frequency_text", "source_types", "remarks", "co_providers",
                  "tag_string", "license_id")
# Required before an entry is submitted for review ("all catalog fields").
SUBMIT_REQUIRED = ("title", "notes", "theme", "first_provided", "update_frequency", "source_types")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX")


# ----------------------------------------------------------------- lookups
def get_catalog(id_or_key: str | None) -> Catalog:
    if not id_or_key:
        raise tk.ValidationError({"id": [_("Thiếu mã danh mục.")]})
    catalog = model.Session.get(Catalog, id_or_key) or \
        model.Session.query(Catalog).filter_by(key=id_or_key).first()
    if catalog is None:
        raise tk.ObjectNotFound(_("Không tìm thấy danh mục \"{key}\".").format(key=id_or_key))
    return catalog


def get_entry(entry_id: str | None) -> CatalogEntry:
    entry = model.Session.get(CatalogEntry, entry_id) if entry_id else None
    if entry is None:
        raise tk.ObjectNotFound(_("Không tìm thấy mục danh mục \"{id}\".").format(id=entry_id or ""))
    return entry


def _ids(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[\s,]+", value) if v]
    return [str(v) for v in value if v]


def entries_from(data_dict: dict) -> list[CatalogEntry]:
    """Entries named by `ids`/`id`, or every entry of `owner_org` in `catalog_id`."""
    ids = _ids(data_dict.get("ids")) or _ids(data_dict.get("id"))
    if ids:
        return [get_entry(i) for i in dict.fromkeys(ids)]
    if data_dict.get("catalog_id") and data_dict.get("owner_org"):
        catalog = get_catalog(data_dict["catalog_id"])
        org = model.Group.get(data_dict["owner_org"])
        if org is None:
            raise tk.ObjectNotFound(_("Không tìm thấy đơn vị."))
        return (model.Session.query(CatalogEntry)
                .join(model.Package, model.Package.id == CatalogEntry.package_id)
                .filter(CatalogEntry.catalog_id == catalog.id, model.Package.owner_org == org.id)
                .order_by(CatalogEntry.position).all())
    raise tk.ValidationError({"ids": [_("Chọn ít nhất một mục danh mục.")]})


# ----------------------------------------------------------------- serialisation
def visible_agency_ids(user: str | None, catalog: Catalog, everything: bool = False) -> set[str] | None:
    """None: every entry is visible; else the agencies whose entries the user sees."""
    if everything or catalog.state == "published" or roles.is_reviewer(user):
        return None
    return {g.id for g in roles.officer_agencies(user)}


def entry_dict(entry: CatalogEntry, pkg: model.Package | None = None, org: model.Group | None = None,
               with_comment: bool = True) -> dict:
    pkg = pkg or model.Package.get(entry.package_id)
    if org is None and pkg is not None and pkg.owner_org:
        org = model.Group.get(pkg.owner_org)
    out = {
        **entry.row(), "id": entry.id, "catalog_id": entry.catalog_id, "package_id": entry.package_id,
        "position": entry.position, "state": entry.state, "state_label": states.entry_state_label(entry.state),
        "package_name": pkg.name if pkg else None, "private": bool(pkg.private) if pkg else None,
        "agency_id": org.id if org else None, "agency_name": org.name if org else None,
        "agency_title": org.title if org else entry.agency,
    }
    if with_comment:
        out["last_comment"] = history.last_comment(entry.id)
    return out


def catalog_dict(catalog: Catalog, user: str | None, with_entries: bool = True, everything: bool = False) -> dict:
    out = catalog.as_dict()
    out["amends_id"] = catalog.amends_id
    amended = model.Session.get(Catalog, catalog.amends_id) if catalog.amends_id else None
    out["amends_key"] = amended.key if amended else None
    out["amends_title"] = amended.title if amended else None
    out["amendments"] = [{"key": c.key, "title": c.title, "state": c.state} for c in
                         model.Session.query(Catalog).filter_by(amends_id=catalog.id).order_by(Catalog.created)]
    out["state_label"] = states.catalog_state_label(catalog.state)
    counts = dict(model.Session.query(CatalogEntry.state, sa.func.count(CatalogEntry.id))
                  .filter(CatalogEntry.catalog_id == catalog.id).group_by(CatalogEntry.state).all())
    out["counts"] = {s: int(counts.get(s, 0)) for s in states.ENTRY_STATES}
    out["entry_count"] = sum(out["counts"].values())
    if not with_entries:
        return out
    visible = visible_agency_ids(user, catalog, everything)
    rows = (model.Session.query(CatalogEntry, model.Package, model.Group)
            .outerjoin(model.Package, model.Package.id == CatalogEntry.package_id)
            .outerjoin(model.Group, model.Group.id == model.Package.owner_org)
            .filter(CatalogEntry.catalog_id == catalog.id)
            .order_by(CatalogEntry.position, CatalogEntry.id).all())
    entries = [entry_dict(e, p, g, with_comment=catalog.state != "published")
               for e, p, g in rows if visible is None or (g is not None and g.id in visible)]
    out["entries"] = entries
    out["history"] = history.catalog_history(catalog.id, visible)
    return out


# ----------------------------------------------------------------- entry values
def _first_provided_text(iso: str) -> str:
    try:
        return formats.format_date(datetime.date.fromisoformat(iso[:10]), lang="vi")
    except ValueError:
        return iso


def row_from_dataset(pkg: dict) -> dict:
    """The catalog columns of an entry, as the dataset states them now (the values a
    reviewer sees and approves; the entry keeps them once submitted)."""
    theme = vocab.THEME_BY_CODE.get(pkg.get("theme") or "")
    freq = vocab.FREQUENCY_BY_CODE.get(pkg.get("update_frequency") or "")
    sources = pkg.get("source_types") or []
    if isinstance(sources, str):
        sources = [sources]
    source_labels = {code: vi for code, vi, _en in vocab.SOURCE_TYPES}
    agency_names = [(pkg.get("organization") or {}).get("title") or ""]
    for name in pkg.get("co_providers") or []:
        org = model.Group.get(name)
        agency_names.append(org.title if org else name)
    description = pkg.get("notes") or ""
    if not description and pkg.get("data_fields"):
        description = "\n".join(f"- {f}" for f in pkg["data_fields"])
    return {
        "title": pkg.get("title") or "",
        "description": description,
        "agency": "; ".join(a for a in agency_names if a),
        "theme": f"CHỦ ĐỀ {theme.title_vi.upper()}" if theme else "",
        "first_provided": pkg.get("first_provided_text") or _first_provided_text(pkg.get("first_provided") or ""),
        "frequency": pkg.get("update_frequency_text") or (freq.label_vi if freq else ""),
        "source": "/".join(source_labels.get(s, s) for s in sources),
        "notes": pkg.get("remarks") or "",
    }


def _apply_row(entry: CatalogEntry, row: dict) -> None:
    for key, value in row.items():
        setattr(entry, key, value or "")


def _dataset_patch(data_dict: dict) -> dict:
    patch = {k: data_dict[k] for k in DATASET_FIELDS if k in data_dict}
    for key in ("source_types", "data_fields", "co_providers"):
        if isinstance(patch.get(key), str):
            patch[key] = [patch[key]] if key == "source_types" else patch[key]
    return patch


def _missing_for_submit(pkg: dict) -> list[str]:
    labels = {"title": _("Tên tập dữ liệu"), "notes": _("Mô tả"), "theme": _("Chủ đề"),
              "first_provided": _("Ngày cung cấp lần đầu"), "update_frequency": _("Tần suất cung cấp"),
              "source_types": _("Nguồn cơ sở dữ liệu")}
    return [labels[k] for k in SUBMIT_REQUIRED if pkg.get(k) in (None, "", [])]


def _next_number(catalog: Catalog) -> str:
    numbers = [int(n) for (n,) in model.Session.query(CatalogEntry.number).filter_by(catalog_id=catalog.id)
               if str(n).isdigit()]
    return str(max(numbers, default=0) + 1)


def _attach_file(context: dict, package_id: str, data_dict: dict) -> dict | None:
    """An uploaded file (or a link) becomes a resource of the dataset."""
    upload = data_dict.get("upload")
    url = (data_dict.get("resource_url") or "").strip()
    has_file = upload is not None and getattr(upload, "filename", None)
    if not has_file and not url:
        return None
    name = (data_dict.get("resource_name") or "").strip()
    res = {"package_id": package_id}
    if has_file:
        filename = upload.filename
        res.update(upload=upload, url=filename, name=name or filename,
                   format=filename.rsplit(".", 1)[-1].upper() if "." in filename else "")
    else:
        res.update(url=url, name=name or url.rsplit("/", 1)[-1] or url)
    # resource_create commits; the resource hook (compliance/data_updated.py) sets data_updated
    return tk.get_action("resource_create")(dict(context), res)


def _user_context(context: dict, **extra) -> dict:
    ctx = {"model": model, "session": model.Session, "user": context.get("user"),
           "auth_user_obj": context.get("auth_user_obj")}
    if context.get("ignore_auth"):
        ctx["ignore_auth"] = True
    ctx.update(extra)
    return ctx


def _theme_order(entry: CatalogEntry) -> int:
    theme = vocab.match_theme(entry.theme)
    codes = [t.code for t in vocab.THEMES]
    return codes.index(theme.code) if theme else len(codes)


# ----------------------------------------------------------------- catalog actions
@tk.side_effect_free
def catalog_list(context, data_dict):
    """Catalogs, newest year first. Anonymous users see published catalogs only.

    :param province: optional; :param year: optional; :param state: optional
    """
    tk.check_access("opendata_vn_catalog_list", context, data_dict)
    user = roles.user_name(context)
    query = model.Session.query(Catalog)
    if data_dict.get("province"):
        query = query.filter(Catalog.province == vocab.nfc(data_dict["province"]))
    if data_dict.get("year"):
        query = query.filter(Catalog.year == int(data_dict["year"]))
    if data_dict.get("state"):
        query = query.filter(Catalog.state == data_dict["state"])
    if not roles.is_staff(user):
        query = query.filter(Catalog.state == "published")
    return [catalog_dict(c, user, with_entries=False)
            for c in query.order_by(Catalog.year.desc(), Catalog.province, Catalog.key)]


@tk.side_effect_free
def catalog_show(context, data_dict):
    """A catalog with its entries (those the user may see) and its history.

    :param id: catalog id or key
    """
    catalog = get_catalog(data_dict.get("id") or data_dict.get("key"))
    tk.check_access("opendata_vn_catalog_show", context, {"id": catalog.id})
    return catalog_dict(catalog, roles.user_name(context), everything=bool(context.get("ignore_auth")))


def catalog_create(context, data_dict):
    """Start an annual catalog (state draft) for a province and year.

    :param year: the catalog year (required)
    :param province: default: the portal's province
    :param title: default "Danh mục dữ liệu mở tỉnh … năm …"
    :param key: default "<province>-<year>"
    :param copy_from: optional id/key of an earlier catalog whose datasets become
        draft entries of this one (agencies then review and submit them)
    :param legal_basis: optional list of legal documents
    """
    tk.check_access("opendata_vn_catalog_create", context, data_dict)
    user = roles.user_name(context)
    errors = {}
    try:
        year = int(data_dict.get("year"))
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [_("Năm danh mục phải là số, vd. 2025.")]
        year = None
    province = vocab.nfc(data_dict.get("province") or tk.config.get("ckanext.opendata_vn.province"))
    key = (data_dict.get("key") or (agencies.slug(f"{province} {year}") if year else "")).strip()
    if key and model.Session.query(Catalog).filter_by(key=key).first() is not None:
        errors["key"] = [_("Đã có danh mục mã \"{key}\".").format(key=key)]
    if errors:
        raise tk.ValidationError(errors)
    legal_basis = data_dict.get("legal_basis") or []
    if isinstance(legal_basis, str):
        legal_basis = [ln.strip() for ln in legal_basis.splitlines() if ln.strip()]
    catalog = Catalog(
        key=key, province=province, year=year, period=str(year), kind=data_dict.get("kind") or "decision",
        title=vocab.nfc(data_dict.get("title")) or f"Danh mục dữ liệu mở tỉnh {province} năm {year}",
        issuer=vocab.nfc(data_dict.get("issuer") or ""), legal_basis=legal_basis,
        notes=vocab.nfc(data_dict.get("notes") or ""), state="draft")
    model.Session.add(catalog)
    model.Session.flush()
    history.record(user, "catalog_create", catalog_id=catalog.id, to_state="draft")
    if data_dict.get("copy_from"):
        source = get_catalog(data_dict["copy_from"])
        seen = set()
        for old in source.entries:
            if old.package_id in seen:
                continue
            seen.add(old.package_id)
            entry = CatalogEntry(catalog_id=catalog.id, package_id=old.package_id, position=len(seen),
                                 number=str(len(seen)), part=0, theme_number="", state="draft",
                                 **{c: getattr(old, c) for c in CatalogEntry.ROW_COLUMNS
                                    if c not in ("number", "part", "theme_number")})
            model.Session.add(entry)
            model.Session.flush()
            history.record(user, "create", entry=entry, to_state="draft",
                           comment=_("Chép từ {title}").format(title=source.title))
    model.repo.commit()
    return catalog_dict(catalog, user)


def _entries_by_state(catalog: Catalog) -> dict[str, int]:
    counts = {s: 0 for s in states.ENTRY_STATES}
    for entry in catalog.entries:
        counts[entry.state] = counts.get(entry.state, 0) + 1
    return counts


def catalog_approve(context, data_dict):
    """IT reviewers approve the whole list once every entry is approved; entries are
    numbered by theme (I, II, … and 1, 2, … as in a decision's appendix)."""
    catalog = get_catalog(data_dict.get("id"))
    tk.check_access("opendata_vn_catalog_approve", context, {"id": catalog.id})
    transition = states.check_catalog("approve", catalog.state)
    counts = _entries_by_state(catalog)
    if not catalog.entries:
        raise tk.ValidationError({"entries": [_("Danh mục chưa có mục nào.")]})
    pending = {s: n for s, n in counts.items() if s != "approved" and n}
    if pending:
        raise tk.ValidationError({"entries": [
            _("Còn {n} mục chưa được phê duyệt ({detail}); trả lại hoặc phê duyệt từng mục trước.").format(
                n=sum(pending.values()),
                detail=", ".join(f"{states.entry_state_label(s)}: {n}" for s, n in pending.items()))]})
    ordered = sorted(catalog.entries, key=lambda e: (_theme_order(e), e.position, e.id))
    for entry in ordered:  # two passes: the (catalog, theme_number, number, part) key is unique
        entry.number, entry.theme_number = f"~{entry.id}", ""
    model.Session.flush()
    theme_numbers: dict[int, str] = {}
    for position, entry in enumerate(ordered, start=1):
        order = _theme_order(entry)
        theme_numbers.setdefault(order, ROMAN[len(theme_numbers)] if len(theme_numbers) < len(ROMAN)
                                 else str(len(theme_numbers) + 1))
        entry.theme_number, entry.number, entry.part, entry.position = theme_numbers[order], str(position), 0, position
    catalog.state = transition.target
    history.record(roles.user_name(context), "catalog_approve", catalog_id=catalog.id, from_state="draft",
                   to_state=catalog.state, comment=vocab.nfc(data_dict.get("comment") or ""))
    model.repo.commit()
    return catalog_dict(catalog, roles.user_name(context))


def catalog_reopen(context, data_dict):
    """Back to draft before publication (e.g. the People's Committee asked for changes)."""
    catalog = get_catalog(data_dict.get("id"))
    tk.check_access("opendata_vn_catalog_reopen", context, {"id": catalog.id})
    transition = states.check_catalog("reopen", catalog.state)
    comment = vocab.nfc(data_dict.get("comment") or "")
    if not comment:
        raise tk.ValidationError({"comment": [_("Ghi lý do mở lại danh mục.")]})
    catalog.state = transition.target
    history.record(roles.user_name(context), "catalog_reopen", catalog_id=catalog.id, from_state="approved",
                   to_state="draft", comment=comment)
    model.repo.commit()
    return catalog_dict(catalog, roles.user_name(context))


def catalog_publish(context, data_dict):
    """Publish the approved catalog with the decision's number and date: it is then
    frozen, and its entries' datasets become public.

    :param id: catalog id or key
    :param document_number: e.g. "123/QĐ-UBND" (required)
    :param document_date: YYYY-MM-DD (required)
    :param issuer: optional, e.g. "UBND tỉnh Bắc Giang"
    """
    catalog = get_catalog(data_dict.get("id"))
    tk.check_access("opendata_vn_catalog_publish", context, {"id": catalog.id})
    transition = states.check_catalog("publish", catalog.state)
    errors = {}
    number = vocab.nfc(data_dict.get("document_number") or "")
    if not number:
        errors["document_number"] = [_("Nhập số quyết định ban hành danh mục.")]
    raw_date = (data_dict.get("document_date") or "").strip()
    try:
        doc_date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        errors["document_date"] = [_("Nhập ngày ban hành dạng YYYY-MM-DD.")]
    if errors:
        raise tk.ValidationError(errors)
    user = roles.user_name(context)
    catalog.document_number = number
    catalog.document_date = doc_date.isoformat()
    if data_dict.get("issuer"):
        catalog.issuer = vocab.nfc(data_dict["issuer"])
    catalog.state = transition.target
    history.record(user, "catalog_publish", catalog_id=catalog.id, from_state="approved", to_state="published",
                   comment=vocab.nfc(data_dict.get("comment") or "") or
                   _("Quyết định số {number} ngày {date}").format(number=number, date=formats.format_date(doc_date)))
    # Reviewers publish other agencies' datasets: the catalog decision is their explicit decision.
    ctx = {"model": model, "session": model.Session, "user": user, "ignore_auth": True, "defer_commit": True}
    for package_id in {e.package_id for e in catalog.entries}:
        pkg = model.Package.get(package_id)
        if pkg is not None and pkg.private and pkg.state == "active":
            tk.get_action("package_patch")(dict(ctx), {"id": package_id, "private": False})
    model.repo.commit()
    return catalog_dict(catalog, user)


def catalog_amend(context, data_dict):
    """Start an amendment (sửa đổi, bổ sung) of a published catalog, as a new draft."""
    catalog = get_catalog(data_dict.get("id"))
    tk.check_access("opendata_vn_catalog_amend", context, {"id": catalog.id})
    if catalog.state != "published":
        raise tk.ValidationError({"state": [_("Chỉ sửa đổi, bổ sung danh mục đã công bố; danh mục này còn đang "
                                              "lập hoặc chờ công bố.")]})
    user = roles.user_name(context)
    n = model.Session.query(Catalog).filter_by(amends_id=catalog.id).count() + 1
    amendment = Catalog(
        key=f"{catalog.key}-sua-doi-{n}", province=catalog.province, year=catalog.year, period=catalog.period,
        kind="amendment", amends_id=catalog.id, state="draft", legal_basis=list(catalog.legal_basis or []),
        title=vocab.nfc(data_dict.get("title") or "") or
        _("Sửa đổi, bổ sung {title} (lần {n})").format(title=catalog.title, n=n))
    model.Session.add(amendment)
    model.Session.flush()
    history.record(user, "catalog_amend", catalog_id=catalog.id, comment=amendment.title)
    history.record(user, "catalog_create", catalog_id=amendment.id, to_state="draft",
                   comment=vocab.nfc(data_dict.get("comment") or ""))
    model.repo.commit()
    return catalog_dict(amendment, user)


# ----------------------------------------------------------------- entry actions
def entry_create(context, data_dict):
    """An agency proposes an entry: a new (private) dataset with the catalog fields,
    or one of its existing datasets (`package_id`), plus an optional file.

    :param catalog_id: the draft catalog (id or key)
    :param owner_org: the agency (for a new dataset)
    :param package_id: an existing dataset of the agency instead of a new one
    :param title, notes, theme, first_provided, update_frequency, source_types, …:
        the dataset's catalog fields (DATASET_FIELDS)
    :param upload: optional file; :param resource_url: optional link
    """
    catalog = get_catalog(data_dict.get("catalog_id"))
    tk.check_access("opendata_vn_entry_create", context, data_dict)
    states.check_catalog_open(catalog.state, data_dict.get("title") or "")
    user = roles.user_name(context)
    ctx = _user_context(context, defer_commit=True)
    try:
        if data_dict.get("package_id"):
            pkg = model.Package.get(data_dict["package_id"])
            if pkg is None or pkg.state != "active":
                raise tk.ObjectNotFound(_("Không tìm thấy tập dữ liệu."))
            if model.Session.query(CatalogEntry).filter_by(catalog_id=catalog.id, package_id=pkg.id).first():
                raise tk.ValidationError({"package_id": [_("Tập dữ liệu đã có trong danh mục này.")]})
            package_id = pkg.id
            patch = _dataset_patch(data_dict)
            if patch:
                tk.get_action("package_patch")(dict(ctx), {"id": package_id, **patch})
        else:
            fields = _dataset_patch(data_dict)
            fields = {k: v for k, v in fields.items() if v not in (None, "", [])}
            created = tk.get_action("package_create")(dict(ctx), {
                **fields, "owner_org": data_dict.get("owner_org"), "private": True,
                "province": catalog.province, "publication_status": "planned",
                "name": data_dict.get("name") or _new_name(catalog.province, fields.get("title") or ""),
            })
            package_id = created["id"]
        pkg_dict = tk.get_action("package_show")(dict(ctx), {"id": package_id})
        number = _next_number(catalog)
        entry = CatalogEntry(catalog_id=catalog.id, package_id=package_id, position=int(number),
                             number=number, part=0, theme_number="", state="draft", **row_from_dataset(pkg_dict))
        model.Session.add(entry)
        model.Session.flush()
        history.record(user, "create", entry=entry, to_state="draft")
        _attach_file(ctx, package_id, data_dict)  # (resource_create commits)
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    return entry_dict(entry)


def _new_name(province: str, title: str) -> str:
    base = agencies.slug(title, 70) or "tap-du-lieu"
    name, n = f"{base}-{agencies.slug(province, 12)}", 2
    candidate = name
    while model.Package.get(candidate) is not None:
        candidate = f"{name}-{n}"
        n += 1
    return candidate


def entry_update(context, data_dict):
    """Change a draft or returned entry: its dataset's catalog fields (and a file)."""
    entry = get_entry(data_dict.get("id"))
    tk.check_access("opendata_vn_entry_update", context, {"id": entry.id})
    states.check_entry("update", entry.state, entry.catalog.state, entry.title)
    ctx = _user_context(context, defer_commit=True)
    try:
        patch = _dataset_patch(data_dict)
        if patch:
            tk.get_action("package_patch")(dict(ctx), {"id": entry.package_id, **patch})
        _attach_file(ctx, entry.package_id, data_dict)
        pkg_dict = tk.get_action("package_show")(dict(ctx), {"id": entry.package_id})
        _apply_row(entry, row_from_dataset(pkg_dict))
        history.record(roles.user_name(context), "update", entry=entry, from_state=entry.state,
                       to_state=entry.state, comment=vocab.nfc(data_dict.get("comment") or ""))
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    return entry_dict(entry)


def entry_withdraw(context, data_dict):
    """Remove a draft or returned entry from the catalog (the dataset stays, private)."""
    entry = get_entry(data_dict.get("id"))
    tk.check_access("opendata_vn_entry_withdraw", context, {"id": entry.id})
    states.check_entry("withdraw", entry.state, entry.catalog.state, entry.title)
    history.record(roles.user_name(context), "withdraw", entry=entry, from_state=entry.state, to_state="",
                   comment=vocab.nfc(data_dict.get("comment") or ""))
    result = {"id": entry.id, "catalog_id": entry.catalog_id, "package_id": entry.package_id}
    model.Session.delete(entry)
    model.repo.commit()
    return result


def _transition(context, data_dict, action: str, auth: str) -> list[dict]:
    entries = entries_from(data_dict)
    tk.check_access(auth, context, {"ids": [e.id for e in entries]})
    comment = vocab.nfc(data_dict.get("comment") or "")
    user = roles.user_name(context)
    plan = [(e, states.check_entry(action, e.state, e.catalog.state, e.title)) for e in entries
            if not (action != "return" and data_dict.get("skip_done") and e.state not in
                    states.ENTRY_TRANSITIONS[action].sources)]
    if not plan:
        raise tk.ValidationError({"ids": [_("Không có mục nào cần thực hiện.")]})
    if any(t.comment_required for _e, t in plan) and not comment:
        raise tk.ValidationError({"comment": [_("Ghi ý kiến để đơn vị biết cần sửa gì.")]})
    if action == "submit":
        missing = {}
        shown = {}
        for entry, _t in plan:
            shown[entry.id] = tk.get_action("package_show")(
                {"model": model, "session": model.Session, "ignore_auth": True}, {"id": entry.package_id})
            gaps = _missing_for_submit(shown[entry.id])
            if gaps:
                missing[entry.title] = gaps
        if missing:
            raise tk.ValidationError({"entries": [
                _("Mục \"{title}\" còn thiếu: {fields}.").format(title=t, fields=", ".join(f))
                for t, f in missing.items()]})
    out = []
    for entry, transition in plan:
        before = entry.state
        if action == "submit":  # the values the reviewer will see and approve
            _apply_row(entry, row_from_dataset(shown[entry.id]))
        entry.state = transition.target
        history.record(user, action, entry=entry, from_state=before, to_state=entry.state, comment=comment)
        out.append(entry)
    model.repo.commit()
    return [entry_dict(e) for e in out]


def entry_submit(context, data_dict):
    """Focal officer: submit entries for review (by `ids`, or all draft and returned
    entries of `owner_org` in `catalog_id`)."""
    if not data_dict.get("ids") and not data_dict.get("id"):
        data_dict = {**data_dict, "skip_done": True}
    return _transition(context, data_dict, "submit", "opendata_vn_entry_submit")


def entry_return(context, data_dict):
    """IT reviewer: return submitted (or approved) entries with a comment (required)."""
    return _transition(context, data_dict, "return", "opendata_vn_entry_return")


def entry_approve(context, data_dict):
    """IT reviewer: approve submitted entries."""
    if not data_dict.get("ids") and not data_dict.get("id"):
        data_dict = {**data_dict, "skip_done": True}
    return _transition(context, data_dict, "approve", "opendata_vn_entry_approve")


def data_confirm(context, data_dict):
    """Focal officer: confirm that a published dataset's data is still current
    (the province's review rule: confirm or update at least every N months).

    :param package_id: the dataset
    :param comment: optional
    """
    pkg = model.Package.get(data_dict.get("package_id") or "")
    if pkg is None or pkg.state != "active":
        raise tk.ObjectNotFound(_("Không tìm thấy tập dữ liệu."))
    tk.check_access("opendata_vn_data_confirm", context, {"package_id": pkg.id})
    event = history.record(roles.user_name(context), "confirm", package_id=pkg.id, agency_id=pkg.owner_org,
                           entry_title=pkg.title, comment=vocab.nfc(data_dict.get("comment") or ""))
    model.repo.commit()
    return event.as_dict()


def get_actions() -> dict:
    return {
        "opendata_vn_catalog_list": catalog_list,
        "opendata_vn_catalog_show": catalog_show,
        "opendata_vn_catalog_create": catalog_create,
        "opendata_vn_catalog_approve": catalog_approve,
        "opendata_vn_catalog_reopen": catalog_reopen,
        "opendata_vn_catalog_publish": catalog_publish,
        "opendata_vn_catalog_amend": catalog_amend,
        "opendata_vn_entry_create": entry_create,
        "opendata_vn_entry_update": entry_update,
        "opendata_vn_entry_withdraw": entry_withdraw,
        "opendata_vn_entry_submit": entry_submit,
        "opendata_vn_entry_return": entry_return,
        "opendata_vn_entry_approve": entry_approve,
        "opendata_vn_data_confirm": data_confirm,
    }
