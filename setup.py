"""Open data portal for Vietnamese provinces: the ckanext-opendata-vn extension.

The extension's code lives in ``ckanext-opendata-vn/`` (Python package
``ckanext.opendata_vn``); dependencies are pinned in ``requirements.txt``.
"""
from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).parent
SRC = "ckanext-opendata-vn"


def requirements():
    lines = (HERE / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()]


setup(
    name="ckanext-opendata-vn",
    version="0.1.0",
    description="Cổng dữ liệu mở cấp tỉnh (Nghị định 47/2020, 194/2025) trên CKAN 2.11",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={"": SRC},
    packages=find_namespace_packages(SRC, include=["ckanext.*"]),
    include_package_data=True,
    package_data={"ckanext.opendata_vn": [
        "*.yaml", "*.json", "templates/**/*", "public/**/*", "assets/**/*",
        "i18n/**/*", "schemas/*",
    ]},
    install_requires=requirements(),
    entry_points={
        "ckan.plugins": [
            "opendata_vn = ckanext.opendata_vn.plugin:OpendataVnPlugin",
            "vn_excel = ckanext.opendata_vn.harvest.excel:VnExcelHarvester",
            "vn_api = ckanext.opendata_vn.harvest.api:VnApiHarvester",
            "vn_ckan = ckanext.opendata_vn.dcat.ckan_harvester:VnCkanHarvester",
            # ckanext-harvest's `ckan` type through safe_http (replaces its ckan_harvester)
            "ckan_safe_harvester = ckanext.opendata_vn.dcat.ckan_harvester:SafeCkanHarvester",
        ],
        "ckan.rdf.profiles": [
            "opendata_vn = ckanext.opendata_vn.dcat.profile:OpendataVnProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
)
