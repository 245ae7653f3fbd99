"""What the plugin registers for the annual catalog workflow: its actions, auth
functions and pages, and the permission labels that let IT reviewers read every
agency's private datasets."""
from __future__ import annotations

from ckanext.opendata_vn.workflow import auth, labels, logic, views

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_blueprints = views.get_blueprints
get_dataset_labels = labels.get_dataset_labels
get_user_dataset_labels = labels.get_user_dataset_labels
