"""Permission labels (IPermissionLabels): IT reviewers read every agency's private
datasets — the proposals of a catalog under review — without being members of the
agencies (docs/decisions.md §4). Everything else is CKAN's default rule."""
from __future__ import annotations

from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.opendata_vn.core import roles
REVIEW_LABEL = "opendata_vn-reviewer"
_default = DefaultPermissionLabels()


def get_dataset_labels(dataset_obj) -> list[str]:
    labels = _default.get_dataset_labels(dataset_obj)
    if dataset_obj.private and dataset_obj.owner_org and dataset_obj.state != "deleted":
        labels.append(REVIEW_LABEL)
    return labels


def get_user_dataset_labels(user_obj) -> list[str]:
    labels = _default.get_user_dataset_labels(user_obj)
    # anonymous visitors come as None, CKAN's AnonymousUser or g.userobj's "" (as CKAN's own
    # default labels treat them)
    if user_obj and not getattr(user_obj, "is_anonymous", False) and user_obj.name in roles.reviewer_names():
        labels.append(REVIEW_LABEL)
    return labels
