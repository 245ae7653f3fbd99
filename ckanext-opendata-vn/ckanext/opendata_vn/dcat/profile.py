"""RDF profile `opendata_vn`: the Decree 47 catalog fields in DCAT-AP 3.

Configured after `euro_dcat_ap_3` (ckanext.dcat.rdf.profiles). The base profiles
read some of our field names with another meaning (`theme` is a code, not an IRI)
and write plain literals where DCAT-AP 3 wants IRIs or language-tagged text, so this
profile first removes what they wrote for our fields and then states the mapping:

    theme                 -> dcat:theme <EU data theme>, dcat:keyword (theme title @vi/@en)
    update_frequency      -> dct:accrualPeriodicity <EU frequency>; free text: a described
                             dct:Frequency node (never a bare literal)
    first_provided        -> dct:issued
    owner_org             -> dct:publisher foaf:Organization; a successor's predecessor
                             -> dct:creator and an org:ChangeEvent
    focal officer         -> dcat:contactPoint vcard (phone/email only if contact_public)
    source_types, resources -> dcat:distribution; API resources -> dcat:DataService
    license_id            -> dct:license <EU licence>
    catalog entries       -> dcat:CatalogRecord (catalog year, legal basis) and the
                             Decree 47 document as a sub-catalog (dct:hasPart)

`parse_dataset` is the reverse, used by the DCAT harvester.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import re

import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import DCAT, DCT, FOAF, VCARD, ADMS, RDFProfile
from ckanext.dcat.profiles.base import LOCN, SPDX
from ckanext.dcat.utils import catalog_uri, resource_uri
from ckanext.opendata_vn.catalog.rows import description_fields, split_agencies
from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.dcat import vocabularies as V
from ckanext.opendata_vn.dcat.lookups import cache_for, prefill_base_org_cache
from ckanext.opendata_vn.privacy import dcat as privacy_dcat


class _Terms:
    """A namespace whose terms are built once: rdflib creates (and validates) a new
    URIRef on every attribute access, which is measurable over 10,000 datasets."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name):  # DCT["format"]: `format` is also a str method
        cache = self.__dict__.setdefault("_items", {})
        if name not in cache:
            cache[name] = self._namespace[name]
        return cache[name]


DCT, DCAT, FOAF, VCARD, ADMS, SKOS, RDF, RDFS, ORG, PROV, XSD, LOCN, SPDX = (
    _Terms(ns) for ns in (DCT, DCAT, FOAF, VCARD, ADMS, SKOS, RDF, RDFS, ORG, PROV, XSD, LOCN, SPDX))
ODVN = _Terms(V.ODVN)
VI = "vi"
EN = "en"
CORE_FIELDS = ("name", "url", "tags", "resources", "extras", "owner_org", "id", "type")
RESOURCE_FIELDS = ("url", "name", "description", "format", "mimetype", "size", "hash", "uri")
KEEP_EXTRAS = ("uri",)


def _lit(text, lang=VI):
    return Literal(vocab.nfc(str(text)), lang=lang)


def _site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


_URI_CACHE: dict = {}


def _catalog_uri() -> str:
    """catalog_uri() asks every IDCATURIGenerator plugin each time; it is computed once
    per request (or once per command, where the configuration does not change)."""
    try:
        from flask import g as request_globals
        cached = getattr(request_globals, "_opendata_vn_catalog_uri", None)
        if cached is None:
            cached = request_globals._opendata_vn_catalog_uri = catalog_uri()
        return cached
    except RuntimeError:  # outside any app context
        if "uri" not in _URI_CACHE:
            _URI_CACHE["uri"] = catalog_uri()
        return _URI_CACHE["uri"]


def _base() -> str:
    return _catalog_uri().rstrip("/")


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
            return parsed if isinstance(parsed, list) else [parsed]
        except ValueError:
            return [value]
    return [value] if value not in (None, "") else []


def _date_literal(value: str) -> Literal | None:
    """ISO date, year-month, year or date-time -> a typed literal."""
    value = (value or "").strip()
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return Literal(parsed.isoformat(), datatype=XSD.dateTime)


def lead_agency_matches(original: str, org: dict, province: str) -> bool:
    """True when the catalog's (first) agency is the organization itself, e.g.
    "Sở Giáo dục và Đào tạo" and "Sở Giáo dục và Đào tạo tỉnh Bắc Giang"."""
    names = split_agencies(original or "")
    if not names:
        return True
    lead = vocab.fold(names[0])
    title = vocab.fold(org.get("title"))
    for suffix in (province, org.get("province") or ""):
        if suffix:
            tail = " tinh " + vocab.fold(suffix)
            if title.endswith(tail):
                title = title[: -len(tail)]
    return lead in (title, vocab.fold(org.get("title")), vocab.fold(org.get("name", "").replace("-", " ")))


def fallback_description(title: str) -> str:
    """DCAT-AP requires a description; a catalog document may give none (decisions §3)."""
    return f"{vocab.nfc(title)} (danh mục chưa có mô tả chi tiết)."


class OpendataVnProfile(RDFProfile):

    # ================================================================ output
    def graph_from_catalog(self, catalog_dict, catalog_ref):
        g = self.g
        self._bind()
        prefill_base_org_cache()
        province = tk.config.get("ckanext.opendata_vn.province")
        province_en = tk.config.get("ckanext.opendata_vn.province_en")
        title = (catalog_dict or {}).get("title") or tk.config.get("ckan.site_title")
        description = (catalog_dict or {}).get("description") or tk.config.get("ckan.site_description") \
            or title
        for p in (DCT.title, DCT.description, DCT.language, FOAF.homepage, DCT.publisher):
            g.remove((catalog_ref, p, None))
        g.add((catalog_ref, DCT.title, _lit(title)))
        g.add((catalog_ref, DCT.title, _lit(f"Open data portal of {province_en} province", EN)))
        g.add((catalog_ref, DCT.description, _lit(description)))
        g.add((catalog_ref, DCT.description, _lit(
            f"Open data of the state agencies of {province_en} province, Vietnam "
            "(Decree 47/2020/ND-CP open data catalogs).", EN)))
        home = URIRef(_site_url() + "/")
        g.add((catalog_ref, FOAF.homepage, home))
        g.add((home, RDF.type, FOAF.Document))
        for code in ("VIE", "ENG"):
            self._language(catalog_ref, code)
        publisher = URIRef(f"{_base()}/#publisher")
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, _lit(f"Ủy ban nhân dân tỉnh {province}")))
        g.add((publisher, FOAF.name, _lit(f"People's Committee of {province_en} Province", EN)))
        self._publisher_type(publisher, "ubnd_tinh")
        g.add((catalog_ref, DCT.license, self._licence("cc-by")))
        scheme = URIRef(V.THEME_SCHEME)
        g.add((catalog_ref, DCAT.themeTaxonomy, scheme))
        self._scheme(scheme, "Data theme", "Chủ đề dữ liệu (danh mục của EU)")
        g.add((catalog_ref, DCT.spatial, self._province_location(province, catalog_ref)))

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        g = self.g
        self._bind()
        cache = cache_for(g)
        d = dataset_dict
        province = vocab.nfc(d.get("province") or tk.config.get("ckanext.opendata_vn.province"))
        own_iri = f"{_base()}/dataset/{d.get('id') or d.get('name')}"
        landing = d.get("url") or f"{_site_url()}/dataset/{d.get('name') or d['id']}"
        theme = vocab.THEME_BY_CODE.get(d.get("theme") or "")
        org = cache.org(d.get("owner_org") or (d.get("organization") or {}).get("id"))

        # What the base profiles wrote for fields that mean something else here.
        old_publishers = list(g.objects(dataset_ref, DCT.publisher))
        for p in (DCT.title, DCT.description, DCAT.theme, DCAT.keyword, DCT.issued, DCT.modified,
                  DCT.publisher, DCT.accrualPeriodicity, DCAT.landingPage, DCAT.contactPoint,
                  DCT.spatial, DCT.language):
            g.remove((dataset_ref, p, None))
        for agent in old_publishers:
            for name in list(g.objects(agent, FOAF.name)):
                if isinstance(name, Literal) and not name.language:
                    g.remove((agent, FOAF.name, name))

        # Title, description, landing page, language, dates
        g.add((dataset_ref, DCT.title, _lit(d.get("title") or d.get("name"))))
        notes = vocab.nfc(d.get("notes"))
        g.add((dataset_ref, DCT.description, _lit(notes or fallback_description(d.get("title") or ""))))
        if not notes:
            g.add((dataset_ref, ODVN.descriptionMissing, Literal(True)))
        landing_ref = URIRef(landing)
        g.add((dataset_ref, DCAT.landingPage, landing_ref))
        g.add((landing_ref, RDF.type, FOAF.Document))
        self._language(dataset_ref, "VIE")
        issued = _date_literal(d.get("first_provided") or "")
        if issued is not None:
            g.add((dataset_ref, DCT.issued, issued))
        modified = _date_literal(d.get("data_updated") or d.get("metadata_modified") or "")
        if modified is not None:
            g.add((dataset_ref, DCT.modified, modified))
        if d.get("first_provided_text"):
            g.add((dataset_ref, ODVN.firstProvidedText, _lit(d["first_provided_text"])))

        # Keywords: tags and the theme's title
        for tag in d.get("tags") or []:
            name = (tag.get("display_name") or tag.get("name")) if isinstance(tag, dict) else tag
            if name:
                g.add((dataset_ref, DCAT.keyword, _lit(name)))
        if theme:
            g.add((dataset_ref, DCAT.keyword, _lit(theme.title_vi)))
            g.add((dataset_ref, DCAT.keyword, _lit(theme.title_en, EN)))
            g.add((dataset_ref, ODVN.theme, Literal(theme.code)))
            if theme.eu:
                concept = URIRef(theme.eu_uri)
                g.add((dataset_ref, DCAT.theme, concept))
                en, vi = V.EU_THEME_LABELS[theme.eu]
                self._concept(concept, V.THEME_SCHEME, en, vi, theme.eu)

        self._frequency(d, dataset_ref)
        self._agents(d, dataset_ref, org, province)
        self._contact(dataset_ref, org)

        # Province, co-providers, remarks, status, data fields
        g.add((dataset_ref, DCT.spatial, self._province_location(province, URIRef(own_iri))))
        for name in _as_list(d.get("co_providers")):
            co = cache.org(name)
            g.add((dataset_ref, ODVN.coProvider, Literal(name)))
            if co:
                agent = self._organization(co)
                g.add((dataset_ref, DCT.contributor, agent))
        if d.get("remarks"):
            g.add((dataset_ref, RDFS.comment, _lit(d["remarks"])))
        status = d.get("publication_status") or "planned"
        g.add((dataset_ref, ODVN.publicationStatus, Literal(status)))
        fields = [f for f in _as_list(d.get("data_fields")) if f]
        if fields:
            head = BNode()
            Collection(g, head, [_lit(f) for f in fields])
            g.add((dataset_ref, ODVN.dataFields, head))

        licence = self._licence(d.get("license_id") or "cc-by", d.get("license_url"),
                                d.get("license_title"))
        if licence is not None:
            g.add((dataset_ref, DCT.license, licence))
        self._distributions(d, dataset_ref, own_iri, landing_ref, licence, status)
        self._record(d, dataset_ref, own_iri, cache, province)

    # ---------------------------------------------------------------- parts
    def _bind(self):
        if not cache_for(self.g).first("namespaces bound"):
            return
        for prefix, ns in (("odvn", V.ODVN), ("eli", V.ELI), ("dcatap", V.DCATAP), ("org", ORG._namespace),
                           ("prov", PROV._namespace), ("skos", SKOS._namespace),
                           ("vcard", VCARD._namespace), ("adms", ADMS._namespace)):
            self.g.bind(prefix, ns)

    def _language(self, subject, code):
        lang = URIRef(V.LANGUAGE + code)
        self.g.add((subject, DCT.language, lang))
        self.g.add((lang, RDF.type, DCT.LinguisticSystem))

    def _scheme(self, scheme, title_en, title_vi):
        g = self.g
        if not cache_for(g).first(scheme):
            return
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, DCT.title, _lit(title_en, EN)))
        g.add((scheme, DCT.title, _lit(title_vi)))

    def _concept(self, concept, scheme, label_en, label_vi, notation=None, extra_type=None):
        g = self.g
        if not cache_for(g).first(concept):
            return
        g.add((concept, RDF.type, SKOS.Concept))
        if extra_type is not None:
            g.add((concept, RDF.type, extra_type))
        g.add((concept, SKOS.prefLabel, _lit(label_en, EN)))
        g.add((concept, SKOS.prefLabel, _lit(label_vi)))
        if notation:
            g.add((concept, SKOS.notation, Literal(notation)))
        if scheme:
            g.add((concept, SKOS.inScheme, URIRef(scheme)))
            title = {V.THEME_SCHEME: ("Data theme", "Chủ đề dữ liệu (danh mục của EU)"),
                     V.FREQUENCY_SCHEME: ("Frequency", "Tần suất (danh mục của EU)")}.get(scheme)
            if title:
                self._scheme(URIRef(scheme), *title)

    def _frequency(self, d, dataset_ref):
        g = self.g
        code = d.get("update_frequency") or ""
        text = vocab.nfc(d.get("update_frequency_text"))
        freq = vocab.FREQUENCY_BY_CODE.get(code)
        if freq is None and text:
            match = vocab.match_frequency(text)
            freq = match.frequency if match else None
        if freq is None:
            return
        if code:
            g.add((dataset_ref, ODVN.updateFrequency, Literal(freq.code)))
        if text:
            g.add((dataset_ref, ODVN.updateFrequencyText, _lit(text)))
        if freq.code != "other":
            concept = URIRef(freq.eu_uri)
            en, vi = V.EU_FREQUENCY_LABELS[freq.eu]
            self._concept(concept, V.FREQUENCY_SCHEME, en, vi, freq.eu, DCT.Frequency)
            g.add((dataset_ref, DCT.accrualPeriodicity, concept))
            return
        # Free text: a described frequency of its own, related to the EU "other".
        node = BNode()
        g.add((dataset_ref, DCT.accrualPeriodicity, node))
        g.add((node, RDF.type, DCT.Frequency))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.prefLabel, _lit(text or freq.label_vi)))
        g.add((node, RDFS.label, _lit(text or freq.label_vi)))
        other = URIRef(V.EU_AUTHORITY + "frequency/OTHER")
        self._concept(other, V.FREQUENCY_SCHEME, "other", "khác", "OTHER", DCT.Frequency)
        g.add((node, SKOS.broadMatch, other))

    def _organization(self, org: dict) -> URIRef:
        g = self.g
        ref = URIRef(f"{_base()}/organization/{org['id']}")
        if cache_for(g).first(ref):
            g.add((ref, RDF.type, FOAF.Agent))
            g.add((ref, RDF.type, FOAF.Organization))
            g.add((ref, FOAF.name, _lit(org["title"])))
            if org.get("short_code"):
                g.add((ref, SKOS.altLabel, _lit(org["short_code"])))
            self._publisher_type(ref, org.get("level"))
        return ref

    def _publisher_type(self, ref, level):
        kind = V.PUBLISHER_TYPES.get(level or "")
        if kind:
            code, en, vi = kind
            concept = URIRef(V.ADMS_PUBLISHER_TYPE + code)
            self.g.add((ref, DCT.type, concept))
            self._concept(concept, None, en, vi)

    def _agents(self, d, dataset_ref, org, province):
        g = self.g
        original = vocab.nfc(d.get("original_agency"))
        if original:
            g.add((dataset_ref, ODVN.originalAgency, _lit(original)))
        if not org:
            return
        publisher = self._organization(org)
        g.add((dataset_ref, DCT.publisher, publisher))
        if not original or lead_agency_matches(original, org, province):
            return
        # The catalog named another agency: a successor took over (docs/decisions.md §5).
        lead = split_agencies(original)[0]
        # merged in turn (2025: Sở TT&TT → Sở KH&CN of the old province → of the new one)
        chain = list(cache_for(g).predecessors(org))
        for earlier in chain:
            chain.extend(p for p in cache_for(g).predecessors(earlier) if p not in chain)
        predecessor = next((p for p in chain if lead_agency_matches(lead, p, province)), None)
        if predecessor:
            creator = self._organization(predecessor)
            event = URIRef(f"{creator}#succession")
            g.add((creator, ORG.changedBy, event))
            g.add((event, RDF.type, ORG.ChangeEvent))
            g.add((event, ORG.originalOrganization, creator))
            g.add((event, ORG.resultingOrganization, publisher))
            g.add((publisher, ORG.resultedFrom, event))
            when = _date_literal(predecessor.get("succession_date") or "")
            if when is not None:
                g.add((event, DCT.date, when))
        else:
            creator = URIRef(f"{_base()}/dataset/{d['id']}#original-agency")
            g.add((creator, RDF.type, FOAF.Agent))
            g.add((creator, RDF.type, FOAF.Organization))
            g.add((creator, FOAF.name, _lit(lead)))
        g.add((dataset_ref, DCT.creator, creator))

    def _contact(self, dataset_ref, org):
        """Focal officer's phone and email only when the agency made them public
        (docs/decisions.md §7); otherwise the officer's name or the agency itself."""
        if not org:
            return
        g = self.g
        ref = URIRef(f"{_base()}/organization/{org['id']}#contact")
        g.add((dataset_ref, DCAT.contactPoint, ref))
        if not cache_for(g).first(ref):
            return
        g.add((ref, RDF.type, VCARD.Kind))
        officer = org.get("focal_officer_name")
        if officer:
            g.add((ref, RDF.type, VCARD.Individual))
            g.add((ref, VCARD.fn, _lit(officer)))
            g.add((ref, VCARD["organization-name"], _lit(org["title"])))
        else:
            g.add((ref, RDF.type, VCARD.Organization))
            g.add((ref, VCARD.fn, _lit(org["title"])))
        g.add((ref, VCARD.hasURL, URIRef(f"{_site_url()}/organization/{org['name']}")))
        if str(org.get("contact_public") or "").lower() == "true":
            if org.get("focal_officer_email"):
                g.add((ref, VCARD.hasEmail, URIRef("mailto:" + org["focal_officer_email"].strip())))
            phone = re.sub(r"[^0-9+]", "", org.get("focal_officer_phone") or "")
            if phone:
                g.add((ref, VCARD.hasTelephone, URIRef("tel:" + phone)))

    def _province_location(self, province, owner_ref):
        g = self.g
        ref = URIRef(f"{_base()}/#province-{vocab.fold(province).replace(' ', '-')}")
        if cache_for(g).first(ref):
            g.add((ref, RDF.type, DCT.Location))
            g.add((ref, SKOS.prefLabel, _lit(province)))
            if vocab.fold(province) == vocab.fold(tk.config.get("ckanext.opendata_vn.province")):
                g.add((ref, SKOS.prefLabel, _lit(tk.config.get("ckanext.opendata_vn.province_en"), EN)))
        return ref

    def _licence(self, license_id, url=None, title=None):
        g = self.g
        if not license_id or license_id == "notspecified":
            return None
        if license_id in V.LICENCES:
            code, label = V.LICENCES[license_id]
            ref = URIRef(V.LICENCE + code)
            title = label
        elif url and url.startswith("http"):
            ref = URIRef(url)
        else:
            ref = URIRef(f"{_site_url()}/licenses/{license_id}")
        if cache_for(g).first(ref):
            g.add((ref, RDF.type, DCT.LicenseDocument))
            if title:
                g.add((ref, DCT.title, Literal(title, lang=EN)))
        return ref

    def _format(self, distribution, fmt, mimetype=None):
        g = self.g
        for o in list(g.objects(distribution, DCT["format"])):
            g.remove((distribution, DCT["format"], o))
        for o in list(g.objects(distribution, DCAT.mediaType)):
            g.remove((distribution, DCAT.mediaType, o))
        key = V.format_key(fmt)
        known = V.FORMATS.get(key)
        if known:
            eu, media = known
            ref = URIRef(V.FILE_TYPE + eu)
            g.add((distribution, DCT["format"], ref))
            g.add((ref, RDF.type, DCT.MediaTypeOrExtent))
            mimetype = mimetype or media
        elif fmt:
            node = BNode()
            g.add((distribution, DCT["format"], node))
            g.add((node, RDF.type, DCT.MediaTypeOrExtent))
            g.add((node, RDFS.label, Literal(fmt)))
        if mimetype and re.fullmatch(r"[\w.+-]+/[\w.+-]+", mimetype):
            media_ref = URIRef(V.IANA + mimetype)
            g.add((distribution, DCAT.mediaType, media_ref))
            g.add((media_ref, RDF.type, DCT.MediaType))

    def _status(self, distribution, status):
        code, en, vi = status
        concept = URIRef(V.ADMS_STATUS + code)
        self.g.add((distribution, ADMS.status, concept))
        self._concept(concept, None, en, vi)

    def _distributions(self, d, dataset_ref, own_iri, landing_ref, licence, status):
        g = self.g
        for code in _as_list(d.get("source_types")):
            g.add((dataset_ref, ODVN.sourceType, Literal(code)))
        # Personal data guard (privacy/dcat.py): resources held back for a decision are no distribution
        resources = [r for r in privacy_dcat.published_resources(g, dataset_ref, d.get("resources"))
                     if r.get("id")]
        for res in resources:
            dist = URIRef(resource_uri(res))
            for p in (DCT.title, DCT.description, DCT.license):
                g.remove((dist, p, None))
            # The base profile types every distribution licence as "unknown IPR".
            g.remove((None, DCT.type, URIRef("http://purl.org/adms/licencetype/UnknownIPR")))
            g.add((dist, DCT.title, _lit(res.get("name") or res.get("format") or d.get("title"))))
            if res.get("description"):
                g.add((dist, DCT.description, _lit(res["description"])))
            if licence is not None:
                g.add((dist, DCT.license, licence))
            if (dist, DCAT.accessURL, None) not in g:
                g.add((dist, DCAT.accessURL, landing_ref))
            if res.get("url_type") == "upload" and res.get("url"):
                g.add((dist, DCAT.downloadURL, URIRef(res["url"])))
            self._format(dist, res.get("format"), res.get("mimetype"))
            for checksum in list(g.objects(dist, SPDX.checksum)):
                if (checksum, SPDX.algorithm, None) not in g:
                    g.remove((dist, SPDX.checksum, checksum))
                    g.remove((checksum, None, None))
            self._status(dist, V.COMPLETED_STATUS)
            self._data_service(d, res, dataset_ref, dist, licence)
        if resources:
            return
        # No data yet: the catalog still says how it will be provided (Nguồn dữ liệu).
        planned = status != "published"
        for code in _as_list(d.get("source_types")):
            label = next((vi for c, vi, _en in vocab.SOURCE_TYPES if c == code), code)
            dist = URIRef(f"{own_iri}#source-{code}")
            g.add((dataset_ref, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCT.title, _lit(label)))
            g.add((dist, DCT.description, _lit(
                f"Nguồn dữ liệu theo danh mục: {label}. "
                + ("Dữ liệu chưa được cung cấp; xem trang tập dữ liệu." if planned
                   else "Xem trang tập dữ liệu để truy cập dữ liệu."))))
            g.add((dist, DCAT.accessURL, landing_ref))
            g.add((dist, ODVN.sourceType, Literal(code)))
            if code in V.SOURCE_FILE_TYPE:
                self._format(dist, V.SOURCE_FILE_TYPE[code])
            if licence is not None:
                g.add((dist, DCT.license, licence))
            self._status(dist, V.PLANNED_STATUS if planned else V.COMPLETED_STATUS)

    def _data_service(self, d, res, dataset_ref, dist, licence):
        """A resource served by an API (an API format, or our DataStore) is reached
        through a dcat:DataService."""
        g = self.g
        fmt = vocab.fold(res.get("format"))
        services = []
        if fmt in V.API_FORMATS and res.get("url"):
            services.append((URIRef(f"{dist}#service"), res["url"], None,
                             f"API: {res.get('name') or d.get('title')}"))
        if res.get("datastore_active") in (True, "true", "True"):
            services.append((
                URIRef(f"{dist}#datastore-api"),
                f"{_site_url()}/api/3/action/datastore_search?resource_id={res['id']}",
                "https://docs.ckan.org/en/2.11/maintaining/datastore.html#the-datastore-api",
                f"API DataStore: {res.get('name') or d.get('title')}"))
        for ref, endpoint, description_url, title in services:
            g.add((dist, DCAT.accessService, ref))
            g.add((ref, RDF.type, DCAT.DataService))
            g.add((ref, DCT.title, _lit(title)))
            g.add((ref, DCAT.endpointURL, URIRef(endpoint)))
            g.add((URIRef(endpoint), RDF.type, RDFS.Resource))
            if description_url:
                g.add((ref, DCAT.endpointDescription, URIRef(description_url)))
                g.add((URIRef(description_url), RDF.type, RDFS.Resource))
            g.add((ref, DCAT.servesDataset, dataset_ref))
            if licence is not None:
                g.add((ref, DCT.license, licence))
            for publisher in g.objects(dataset_ref, DCT.publisher):
                g.add((ref, DCT.publisher, publisher))
            catalog = URIRef(_catalog_uri())
            if (catalog, RDF.type, DCAT.Catalog) in g:
                g.add((catalog, DCAT.service, ref))

    def _record(self, d, dataset_ref, own_iri, cache, province):
        """The catalog record: when the dataset was listed and changed, and the
        Decree 47 catalogs (year, legal basis) that list it."""
        g = self.g
        record = URIRef(f"{own_iri}#record")
        g.add((record, RDF.type, DCAT.CatalogRecord))
        g.add((record, FOAF.primaryTopic, dataset_ref))
        listed = _date_literal(d.get("metadata_created") or "")
        if listed is not None:
            g.add((record, DCT.issued, listed))
        changed = _date_literal(d.get("metadata_modified") or "") or listed
        if changed is None:
            changed = Literal(datetime.datetime.utcnow().isoformat(), datatype=XSD.dateTime)
        g.add((record, DCT.modified, changed))
        profile = URIRef(V.DCAT_AP_3)
        g.add((record, DCT.conformsTo, profile))
        if cache.first(profile):
            g.add((profile, RDF.type, DCT.Standard))
            g.add((profile, DCT.title, Literal("DCAT-AP 3.0.1", lang=EN)))
            # foaf:primaryTopic's range is dcat:Resource (DCAT 3: Dataset ⊑ Resource).
            g.add((DCAT.Dataset, RDFS.subClassOf, DCAT.Resource))
        catalog = URIRef(_catalog_uri())
        if (catalog, RDF.type, DCAT.Catalog) in g:
            g.add((catalog, DCAT.record, record))
        lines = []
        for entry in cache.entries_for(d):
            key = entry["catalog_key"]
            year = entry.get("catalog_year")
            if year:
                g.add((record, ODVN.catalogYear, Literal(str(year), datatype=XSD.gYear)))
            for text in entry.get("legal_basis") or []:
                g.add((record, V.DCATAP.applicableLegislation, self._legal(text)))
            sub = self._sub_catalog(key, entry, cache, province)
            g.add((sub, DCAT.dataset, dataset_ref))
            g.add((record, DCT.isReferencedBy, sub))
            if (catalog, RDF.type, DCAT.Catalog) in g:
                g.add((catalog, DCT.hasPart, sub))
            place = ", ".join(x for x in (
                f"mục {entry['theme_number']}" if entry.get("theme_number") else "",
                f"TT {entry['number']}" if entry.get("number") else "") if x)
            lines.append(f"{entry['catalog_title']} ({year})" + (f": {place}" if place else ""))
        if lines:
            g.add((record, DCT.description, _lit("Có trong danh mục: " + "; ".join(lines) + ".")))

    def _legal(self, text):
        g = self.g
        text = vocab.nfc(text)
        ref = URIRef(f"{_base()}/legal-basis/{hashlib.sha1(text.encode()).hexdigest()[:16]}")
        if cache_for(g).first(ref):
            g.add((ref, RDF.type, V.ELI.LegalResource))
            g.add((ref, DCT.title, _lit(text)))
        return ref

    def _sub_catalog(self, key, entry, cache, province):
        g = self.g
        ref = URIRef(f"{_base()}/catalog/{key}")
        if not cache_for(g).first(ref):
            return ref
        info = cache.catalog(key) or {}
        title = info.get("title") or entry.get("catalog_title") or key
        g.add((ref, RDF.type, DCAT.Catalog))
        g.add((ref, DCT.title, _lit(title)))
        number = info.get("document_number") or entry.get("document_number")
        date = info.get("document_date") or entry.get("document_date")
        issuer = info.get("issuer") or f"UBND tỉnh {info.get('province') or province}"
        facts = [f"Văn bản số {number}" if number else "", f"ngày {date}" if date else "",
                 f"do {issuer} ban hành"]
        g.add((ref, DCT.description, _lit(f"{title}. " + ", ".join(f for f in facts if f) + ".")))
        if number:
            g.add((ref, DCT.identifier, Literal(number)))
        issued = _date_literal(date or "")
        if issued is not None:
            g.add((ref, DCT.issued, issued))
        agent = URIRef(f"{ref}#issuer")
        g.add((ref, DCT.publisher, agent))
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, RDF.type, FOAF.Organization))
        g.add((agent, FOAF.name, _lit(issuer)))
        years = [int(y) for y in re.findall(r"\b(\d{4})\b", info.get("period") or "")] \
            or ([int(info.get("year") or entry.get("catalog_year"))]
                if (info.get("year") or entry.get("catalog_year")) else [])
        if years:
            period = URIRef(f"{ref}#period")
            g.add((ref, DCT.temporal, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(str(min(years)), datatype=XSD.gYear)))
            g.add((period, DCAT.endDate, Literal(str(max(years)), datatype=XSD.gYear)))
        for text in info.get("legal_basis") or entry.get("legal_basis") or []:
            g.add((ref, V.DCATAP.applicableLegislation, self._legal(text)))
        g.add((ref, DCT.spatial, self._province_location(
            info.get("province") or entry.get("province") or province, ref)))
        if info.get("kind"):
            g.add((ref, ODVN.documentKind, Literal(info["kind"])))
        return ref

    # ================================================================ input
    def parse_dataset(self, dataset_dict, dataset_ref):
        """DCAT (ours or another portal's) -> our schema. Runs after euro_dcat_ap_3."""
        d = dataset_dict
        extras = {e["key"]: e["value"] for e in d.get("extras") or []}
        # Our own portal states every catalog field (the odvn: properties); for another
        # portal's DCAT, they are derived from the standard properties.
        ours = self.g.value(dataset_ref, ODVN.publicationStatus) is not None
        out = {k: d[k] for k in CORE_FIELDS if k in d}
        self._parse_text(d, dataset_ref, out)
        self._parse_theme_and_tags(dataset_ref, out)
        self._parse_frequency(dataset_ref, out, ours)
        self._parse_first_provided(dataset_ref, out, extras)
        self._parse_agencies(dataset_ref, out, ours)
        self._parse_place_and_fields(dataset_ref, out, ours)
        self._parse_distributions(d, dataset_ref, out, ours)
        self._parse_origin(d, dataset_ref, out, ours)
        out["extras"] = [{"key": k, "value": extras[k]} for k in KEEP_EXTRAS if extras.get(k)]
        d.clear()
        d.update({k: v for k, v in out.items() if v not in (None, "", [])
                  or k in ("resources", "extras", "tags")})
        return d

    def _text(self, subject, predicate) -> str:
        """The subject's literal, Vietnamese or untagged first."""
        values = [o for o in self.g.objects(subject, predicate) if isinstance(o, Literal)]
        values.sort(key=lambda o: (o.language not in (VI, None), o.language is not None))
        return vocab.nfc(str(values[0])) if values else ""

    def _literals(self, subject, predicate) -> list[str]:
        return [vocab.nfc(str(o)) for o in self.g.objects(subject, predicate) if isinstance(o, Literal)]

    def _parse_text(self, d, dataset_ref, out):
        out["title"] = self._text(dataset_ref, DCT.title) or vocab.nfc(d.get("title"))
        notes = self._text(dataset_ref, DCT.description) or vocab.nfc(d.get("notes"))
        if self.g.value(dataset_ref, ODVN.descriptionMissing) is not None or \
                notes == fallback_description(out["title"]):
            notes = ""
        out["notes"] = notes

    def _parse_theme_and_tags(self, dataset_ref, out):
        """Theme: our code, else the theme title among the keywords, else the EU theme.
        Keywords -> tags (not the theme's own title), in Vietnamese where given."""
        g = self.g
        keywords = [o for o in g.objects(dataset_ref, DCAT.keyword) if isinstance(o, Literal)]
        eu_codes = [V.eu_code(o, V.THEME_SCHEME + "/") for o in g.objects(dataset_ref, DCAT.theme)]
        eu_codes = [c for c in eu_codes if c]
        theme = vocab.THEME_BY_CODE.get(self._text(dataset_ref, ODVN.theme))
        if theme is None:
            for kw in keywords:
                candidate = vocab.match_theme(str(kw))
                if candidate and (not eu_codes or candidate.eu in eu_codes):
                    theme = candidate
                    break
        if theme is None:
            theme = next((vocab.THEME_BY_CODE[V.EU_THEME_TO_CODE[c]] for c in eu_codes
                          if c in V.EU_THEME_TO_CODE), None)
        out["theme"] = (theme or vocab.THEME_BY_CODE["khac"]).code

        theme_titles = {vocab.fold(t) for th in vocab.THEMES for t in (th.title_vi, th.title_en)}
        chosen = [k for k in keywords if k.language in (VI, None)] or keywords
        tags = []
        for kw in chosen:
            if vocab.fold(str(kw)) in theme_titles:
                continue
            for part in str(kw).split(","):
                name = re.sub(r"[^\w .\-]", " ", vocab.nfc(part)).strip()[:100]
                name = " ".join(name.split())
                if len(name) >= 2 and vocab.fold(name) not in theme_titles and \
                        name not in [t["name"] for t in tags]:
                    tags.append({"name": name})
        out["tags"] = tags

    def _parse_first_provided(self, dataset_ref, out, extras):
        issued = self._text(dataset_ref, DCT.issued) or extras.get("issued") or ""
        if re.match(r"\d{4}-\d{2}-\d{2}", issued):
            out["first_provided"] = issued[:10]
        wording = self._text(dataset_ref, ODVN.firstProvidedText)
        if wording:
            out["first_provided_text"] = wording

    def _parse_agencies(self, dataset_ref, out, ours):
        """The catalog's wording, else the predecessor, else the publisher."""
        publisher_names = [self._agent_name(a) for a in self.g.objects(dataset_ref, DCT.publisher)]
        creator_names = [self._agent_name(a) for a in self.g.objects(dataset_ref, DCT.creator)]
        out["original_agency"] = self._text(dataset_ref, ODVN.originalAgency) or ("" if ours else next(
            (n for n in creator_names + publisher_names if n), ""))
        out["_publisher_name"] = next((n for n in publisher_names if n), "")

    def _parse_place_and_fields(self, dataset_ref, out, ours):
        """Province, co-providers, remarks and the data fields (another portal's only
        in the description's wording)."""
        for location in self.g.objects(dataset_ref, DCT.spatial):
            label = self._text(location, SKOS.prefLabel) or self._text(location, LOCN.geographicName) \
                or self._text(location, RDFS.label)
            if label:
                out["province"] = label
                break
        co = self._literals(dataset_ref, ODVN.coProvider)
        if co:
            out["co_providers"] = co
        remarks = self._text(dataset_ref, RDFS.comment)
        if remarks:
            out["remarks"] = remarks
        head = self.g.value(dataset_ref, ODVN.dataFields)
        fields = [vocab.nfc(str(x)) for x in Collection(self.g, head)] if head is not None else \
            ([] if ours else description_fields(out["notes"]))
        if fields:
            out["data_fields"] = fields

    def _parse_distributions(self, d, dataset_ref, out, ours):
        """Real distributions become resources; "#source-" ones only say how a planned
        dataset will be provided."""
        resources, derived = [], []
        for res in d.get("resources") or []:
            ref = res.get("distribution_ref") or ""
            if "#source-" in ref:
                derived.append(ref.rsplit("#source-", 1)[1])
                continue
            resources.append(self._parse_resource(res, derived))
        out["resources"] = resources
        sources = self._literals(dataset_ref, ODVN.sourceType) if ours else derived
        out["source_types"] = [c for c, _vi, _en in vocab.SOURCE_TYPES if c in sources]
        status = self._text(dataset_ref, ODVN.publicationStatus)
        out["publication_status"] = status if status in ("planned", "published") else \
            ("published" if resources else "planned")

    def _parse_origin(self, d, dataset_ref, out, ours):
        """The source's page (and a description pointing to it when there is none) and licence."""
        g = self.g
        if not out["notes"] and out["publication_status"] == "published" and not ours:
            # our schema requires a description once data is published; say where it is
            origin = str(g.value(dataset_ref, DCAT.landingPage) or dataset_ref)
            out["notes"] = f"Nguồn không có mô tả; xem tại {origin}"
        licence = self._parse_licence(dataset_ref) or d.get("license_id")
        if licence:
            out["license_id"] = licence
        if not out.get("url"):
            landing = g.value(dataset_ref, DCAT.landingPage)
            if landing is not None:
                out["url"] = str(landing)
            elif isinstance(dataset_ref, URIRef):
                out["url"] = str(dataset_ref)

    def _agent_name(self, agent) -> str:
        return self._text(agent, FOAF.name)

    def _parse_frequency(self, dataset_ref, out, ours):
        g = self.g
        code = self._text(dataset_ref, ODVN.updateFrequency)
        wording = self._text(dataset_ref, ODVN.updateFrequencyText)
        node = g.value(dataset_ref, DCT.accrualPeriodicity)
        if code not in vocab.FREQUENCY_BY_CODE:
            code = ""
            eu = V.eu_code(node, V.FREQUENCY_SCHEME + "/") if isinstance(node, URIRef) else None
            if eu:
                code = V.EU_FREQUENCY_TO_CODE.get(eu, "other")
            else:
                label = (str(node) if isinstance(node, Literal) else
                         self._text(node, SKOS.prefLabel) or self._text(node, RDFS.label)) \
                    if node is not None else ""
                wording = wording or vocab.nfc(label)
                match = vocab.match_frequency(wording)
                code = match.frequency.code if match else ""
        if code:
            out["update_frequency"] = code
            out["update_frequency_text"] = wording or ("" if ours else vocab.FREQUENCY_BY_CODE[code].label_vi)

    def _parse_resource(self, res, sources) -> dict:
        out = {k: res[k] for k in RESOURCE_FIELDS if res.get(k) not in (None, "")}
        fmt = res.get("format") or ""
        if fmt in V.FILE_TYPE_TO_FORMAT:
            out["format"] = V.FILE_TYPE_TO_FORMAT[fmt]
        elif fmt.startswith(V.FILE_TYPE):
            out["format"] = fmt[len(V.FILE_TYPE):]
        elif fmt.startswith(V.IANA):
            out["format"] = fmt[len(V.IANA):]
        elif not fmt and res.get("distribution_ref"):
            ref = res["distribution_ref"]
            node = self.g.value(URIRef(ref) if ref.startswith("http") else BNode(ref), DCT["format"])
            label = self.g.value(node, RDFS.label) if node is not None else None
            if label is not None:
                out["format"] = str(label)
        if str(out.get("mimetype") or "").startswith(V.IANA):
            out["mimetype"] = out["mimetype"][len(V.IANA):]
        services = res.get("access_services")
        if isinstance(services, str):
            try:
                services = json.loads(services)
            except ValueError:
                services = []
        external = [s for s in services or []
                    if not any(str(u).startswith(_site_url()) for u in s.get("endpoint_url") or [])]
        if external:
            out.setdefault("format", "API")
            if not out.get("url"):
                out["url"] = (external[0].get("endpoint_url") or [""])[0]
        key = V.format_key(out.get("format"))
        if external or vocab.fold(out.get("format")) in V.API_FORMATS:
            sources.append("api")
        elif key in ("xls", "xlsx", "excel", "ods"):
            sources.append("excel")
        elif key == "csv":
            sources.append("csv")
        for k in ("name", "description"):
            if out.get(k):
                out[k] = vocab.nfc(out[k])
        return out

    def _parse_licence(self, dataset_ref):
        g = self.g
        candidates = list(g.objects(dataset_ref, DCT.license))
        for dist in g.objects(dataset_ref, DCAT.distribution):
            candidates.extend(g.objects(dist, DCT.license))
        from ckan.model.license import LicenseRegister
        by_url = {lic.url: lic_id for lic_id, lic in LicenseRegister().items() if lic.url}
        for lic in candidates:
            iri = str(lic)
            if iri in V.LICENCE_TO_CKAN:
                return V.LICENCE_TO_CKAN[iri]
            if iri in by_url:
                return by_url[iri]
            if iri.startswith(_site_url() + "/licenses/"):
                return iri.rsplit("/", 1)[1]
        # a licence we cannot name is not silently turned into the default CC-BY
        return "notspecified" if candidates else None
