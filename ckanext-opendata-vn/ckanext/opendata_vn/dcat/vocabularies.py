"""IRIs and labels of the controlled vocabularies DCAT-AP 3 asks for.

The EU vocabularies (frequency, data theme, licence, file type, language) cannot be
downloaded where the portal runs, so the concepts the portal uses are described here
with their official English labels (and a Vietnamese translation) and typed in the
output (`<iri> a dct:Frequency, skos:Concept`), which the DCAT-AP shapes check.

`ODVN` is the portal's own vocabulary for the Decree 47 catalog columns DCAT has no
property for (the document's wording, the planned/published status, the catalog
year). Only this software reads it back; other tools read the standard properties.
"""
from __future__ import annotations

from rdflib import Namespace

from ckanext.opendata_vn.core import vocab

ODVN = Namespace("https://w3id.org/opendata-vn/ns#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
FREQUENCY_SCHEME = EU_AUTHORITY + "frequency"
THEME_SCHEME = EU_AUTHORITY + "data-theme"
LICENCE = EU_AUTHORITY + "licence/"
FILE_TYPE = EU_AUTHORITY + "file-type/"
LANGUAGE = EU_AUTHORITY + "language/"
IANA = "https://www.iana.org/assignments/media-types/"
DCAT_AP_3 = "https://semiceu.github.io/DCAT-AP/releases/3.0.1"
ADMS_STATUS = "http://purl.org/adms/status/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"

# EU Frequency authority table: code -> (official English label, Vietnamese)
EU_FREQUENCY_LABELS = {
    "DAILY": ("daily", "hằng ngày"),
    "WEEKLY": ("weekly", "hằng tuần"),
    "MONTHLY": ("monthly", "hằng tháng"),
    "QUARTERLY": ("quarterly", "hằng quý"),
    "ANNUAL_2": ("semiannual", "sáu tháng một lần"),
    "ANNUAL": ("annual", "hằng năm"),
    "BIENNIAL": ("biennial", "hai năm một lần"),
    "TRIENNIAL": ("triennial", "ba năm một lần"),
    "QUADRENNIAL": ("quadrennial", "bốn năm một lần"),
    "QUINQUENNIAL": ("quinquennial", "năm năm một lần"),
    "DECENNIAL": ("decennial", "mười năm một lần"),
    "IRREG": ("irregular", "không định kỳ"),
    "UPDATE_CONT": ("continuously updated", "cập nhật liên tục"),
    "OTHER": ("other", "khác"),
}
# An EU frequency read from another portal -> our code (several of ours share one).
EU_FREQUENCY_TO_CODE = {
    "DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "QUARTERLY": "quarterly",
    "ANNUAL_2": "semiannual", "ANNUAL": "annual", "BIENNIAL": "biennial",
    "TRIENNIAL": "triennial", "QUADRENNIAL": "quadrennial", "QUINQUENNIAL": "quinquennial",
    "DECENNIAL": "decennial", "IRREG": "on_change", "UPDATE_CONT": "continuous",
    "OTHER": "other",
    # EU codes we never emit but other portals do
    "BIWEEKLY": "weekly", "BIMONTHLY": "monthly", "ANNUAL_3": "quarterly", "CONT": "continuous",
    "BIDECENNIAL": "decennial", "TRIDECENNIAL": "decennial", "NEVER": "other", "UNKNOWN": "other",
}

# EU Data Theme authority table: code -> (official English label, Vietnamese)
EU_THEME_LABELS = {
    "AGRI": ("Agriculture, fisheries, forestry and food", "Nông nghiệp, thủy sản, lâm nghiệp và thực phẩm"),
    "ECON": ("Economy and finance", "Kinh tế và tài chính"),
    "EDUC": ("Education, culture and sport", "Giáo dục, văn hóa và thể thao"),
    "ENER": ("Energy", "Năng lượng"),
    "ENVI": ("Environment", "Môi trường"),
    "GOVE": ("Government and public sector", "Chính phủ và khu vực công"),
    "HEAL": ("Health", "Y tế"),
    "INTR": ("International issues", "Các vấn đề quốc tế"),
    "JUST": ("Justice, legal system and public safety", "Tư pháp, hệ thống pháp luật và an toàn công cộng"),
    "REGI": ("Regions and cities", "Vùng và đô thị"),
    "SOCI": ("Population and society", "Dân số và xã hội"),
    "TECH": ("Science and technology", "Khoa học và công nghệ"),
    "TRAN": ("Transport", "Giao thông vận tải"),
    "OP_DATPRO": ("Provisional data", "Dữ liệu tạm thời"),
}
# An EU theme read from another portal -> our theme (several of ours share one).
EU_THEME_TO_CODE = {
    "AGRI": "nong-nghiep", "ECON": "kinh-te", "EDUC": "giao-duc", "ENVI": "tai-nguyen-moi-truong",
    "GOVE": "noi-vu", "HEAL": "y-te", "JUST": "tu-phap", "REGI": "xay-dung", "SOCI": "xa-hoi",
    "TECH": "cong-nghe-thong-tin", "TRAN": "giao-thong",
}

# CKAN licence id -> EU Licence authority code and its official label
LICENCES = {
    "cc-by": ("CC_BY_4_0", "Creative Commons Attribution 4.0 International"),
    "cc-by-sa": ("CC_BYSA_4_0", "Creative Commons Attribution-ShareAlike 4.0 International"),
    "cc-zero": ("CC0", "Creative Commons CC0 1.0 Universal"),
    "cc-nc": ("CC_BYNC_4_0", "Creative Commons Attribution-NonCommercial 4.0 International"),
    "odc-by": ("ODC_BY", "Open Data Commons Attribution License"),
    "odc-odbl": ("ODC_ODBL", "Open Data Commons Open Database License"),
    "odc-pddl": ("ODC_PDDL", "Open Data Commons Public Domain Dedication and License"),
}
LICENCE_TO_CKAN = {LICENCE + code: ckan_id for ckan_id, (code, _t) in LICENCES.items()}

# Resource format (CKAN label, folded) -> (EU file type, IANA media type or None)
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xls": ("XLS", "application/vnd.ms-excel"),
    "excel": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "json": ("JSON", "application/json"),
    "geojson": ("GEOJSON", "application/geo+json"),
    "xml": ("XML", "application/xml"),
    "pdf": ("PDF", "application/pdf"),
    "doc": ("DOC", "application/msword"),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "zip": ("ZIP", "application/zip"),
    "html": ("HTML", "text/html"),
    "txt": ("TXT", "text/plain"),
    "shp": ("SHP", None),
    "kml": ("KML", "application/vnd.google-earth.kml+xml"),
    "ttl": ("RDF_TURTLE", "text/turtle"),
    "turtle": ("RDF_TURTLE", "text/turtle"),
    "rdf": ("RDF_XML", "application/rdf+xml"),
    "json-ld": ("JSON_LD", "application/ld+json"),
    "jsonld": ("JSON_LD", "application/ld+json"),
}
FILE_TYPE_TO_FORMAT = {FILE_TYPE + eu: eu.replace("RDF_TURTLE", "TTL").replace("RDF_XML", "RDF")
                       .replace("JSON_LD", "JSON-LD") for eu, _m in FORMATS.values()}
# A resource in one of these formats is an API: the distribution gets a dcat:DataService.
API_FORMATS = {"api", "json api", "rest", "rest api", "api rest", "web service", "wms", "wfs",
               "wmts", "wcs", "ogc api", "sparql", "odata", "arcgis rest", "esri rest"}

# Our source types (vocab.SOURCE_TYPES) -> EU file type of the expected distribution
SOURCE_FILE_TYPE = {"excel": "XLSX", "csv": "CSV"}

# Our agency levels -> ADMS publisher type
PUBLISHER_TYPES = {
    "ubnd_tinh": ("RegionalAuthority", "Regional authority", "Cơ quan cấp tỉnh"),
    "so_nganh": ("RegionalAuthority", "Regional authority", "Cơ quan cấp tỉnh"),
    "ubnd_huyen": ("LocalAuthority", "Local authority", "Chính quyền địa phương cấp cơ sở"),
    "ubnd_xa": ("LocalAuthority", "Local authority", "Chính quyền địa phương cấp cơ sở"),
    "trung_uong": ("NationalAuthority", "National authority", "Cơ quan trung ương"),
}

PLANNED_STATUS = ("UnderDevelopment", "Under development", "Đang xây dựng")
COMPLETED_STATUS = ("Completed", "Completed", "Đã hoàn thành")


def eu_code(iri: str, prefix: str) -> str | None:
    iri = str(iri)
    if iri.startswith(prefix):
        return iri[len(prefix):].strip("/") or None
    return None


def format_key(fmt: str | None) -> str:
    return vocab.fold(fmt).replace(" ", "-") if fmt else ""
