"""The `ckan opendata` command group. Each feature's cli.py returns its commands from
get_commands(); plugin.py adds plain commands to this group and registers a feature's
own group (e.g. `ckan compliance`) beside it."""
from __future__ import annotations

import click
import ckan.plugins.toolkit as tk


def site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def command_groups(features) -> list:
    opendata = click.Group(name="opendata", short_help="Cổng dữ liệu mở: nạp danh mục, đơn vị, lập lịch thu thập",
                           help="Commands of the provincial open data portal.")
    groups = [opendata]
    for feature in features:
        for command in getattr(feature, "get_commands", lambda: [])():
            if isinstance(command, click.Group):
                groups.append(command)
            else:
                opendata.add_command(command)
    return groups
