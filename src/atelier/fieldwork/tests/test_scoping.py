"""Every site-bound model of fieldwork declares a valid path to its site and is read through visible_to."""

import pytest
from django.apps import apps

from atelier.core.scoping import SiteScopedQuerySet, site_bound_models

UNSCOPED = {
    "ToolKind",
    "SafetyLimit",
    "SafetyFamily",
    "SafetySheetItem",
}  # reference data shared by every site
pytestmark = pytest.mark.django_db


def test_every_site_bound_model_has_a_valid_site_path(accueil):
    models = [m for m in site_bound_models() if m._meta.app_label == "fieldwork"]
    unscoped = {m.__name__ for m in apps.get_app_config("fieldwork").get_models()} - {
        m.__name__ for m in models
    }
    assert unscoped == UNSCOPED
    for model in models:
        assert isinstance(model.objects.all(), SiteScopedQuerySet), model
        assert model.objects.visible_to(accueil).count() == 0  # the path resolves (else FieldError)
