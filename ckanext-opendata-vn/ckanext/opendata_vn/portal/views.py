"""Pages of the portal package: the developer page and the XML download."""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.portal import cors, developer, downloads

portal = Blueprint("opendata_vn_portal", __name__)


@portal.route("/nha-phat-trien")
def developers():
    return tk.render("portal_vn/developer.html", {"dev": developer.page_data()})


@portal.route("/developers")
def developers_en():
    return tk.redirect_to("opendata_vn_portal.developers")


portal.add_url_rule("/dataset/<id>/resource/<resource_id>/download.xml", "download_xml",
                    downloads.download_xml)
portal.after_app_request(cors.add_cors_headers)


def get_blueprints() -> list:
    return [portal]
