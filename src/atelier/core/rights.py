"""« Paramètres › Droits »: the manager sees and edits who may do what on one of their sites (core.access), applies
a preset; every change is journalled (PermissionChange)."""

from itertools import groupby

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from atelier.core import access
from atelier.core.actions import Action, run_action
from atelier.core.choices import Role
from atelier.core.models import PermissionChange, Site
from atelier.core.params import as_id
from atelier.core.services import permissions_apply_preset, permissions_set

STEP = "core.permissions"


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Modèle de droits"), choices=list(access.PRESETS.items()))


class MatrixForm(forms.Form):
    """One checkbox per step and role, named « <step>|<role> »."""

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        matrix = access.site_matrix(site)
        for code in access.all_steps():
            for role in Role.values:
                self.fields[f"{code}|{role}"] = forms.BooleanField(
                    required=False, initial=role in matrix[code], label=Role(role).label
                )

    def service_kwargs(self) -> dict:
        matrix: dict[str, set[str]] = {code: set() for code in access.all_steps()}
        for name, checked in self.cleaned_data.items():
            code, role = name.split("|")
            if checked:
                matrix[code].add(role)
        return {"matrix": matrix}


def _managed_sites(user):
    """The user's sites whose matrix they may edit."""
    return Site.objects.visible_to(user).filter(pk__in=access.sites_allowing(user, STEP))


def _site(request) -> Site:
    sites = _managed_sites(request.user)
    wanted = request.GET.get("site") or request.POST.get("site")
    site = sites.filter(pk=pk).first() if (pk := as_id(wanted)) is not None else sites.first()
    if site is None:
        raise Http404
    return site


def _page(request, site, *, failed=None, failed_form=None, status=200):
    form = failed_form if failed == "save" else MatrixForm(site=site, auto_id="id_%s")
    steps = access.all_steps().values()
    groups = [
        {
            "title": title,
            "rows": [{"step": s, "boxes": [form[f"{s.code}|{role}"] for role in Role.values]} for s in items],
        }
        for title, items in groupby(
            sorted(steps, key=lambda s: (str(s.group), s.code)), key=lambda s: s.group
        )
    ]
    return render(
        request,
        "core/permissions.html",
        {
            "nav": "permissions",
            "site": site,
            "sites": _managed_sites(request.user),
            "roles": Role.choices,
            "groups": groups,
            "form": form,
            "preset_form": failed_form
            if failed == "preset"
            else PresetForm(initial={"preset": site.permission_preset}),
            "presets": access.PRESETS,
            "changes": PermissionChange.objects.filter(site=site).select_related("actor")[:20],
        },
        status=status,
    )


ACTIONS = {
    "preset": Action(
        form=PresetForm,
        service=permissions_apply_preset,
        target="site",
        success=_("Modèle de droits appliqué."),
        plain_ids=True,
    ),
    "save": Action(
        form=MatrixForm,
        service=permissions_set,
        target="site",
        form_kwargs=lambda request, site: {"site": site},
        success=lambda n: (
            ngettext(
                "Droits enregistrés : %(n)d opération modifiée.",
                "Droits enregistrés : %(n)d opérations modifiées.",
                n,
            )
            % {"n": n}
            if n
            else gettext("Aucun changement.")
        ),
        plain_ids=True,
    ),
}


@never_cache
@access.step_required(STEP)
def permissions(request):
    site = _site(request)
    if request.method != "POST":
        return _page(request, site)
    return run_action(
        request,
        site,
        request.POST.get("action", ""),
        ACTIONS,
        show_again=lambda request, site, **kw: _page(request, site, **kw),
        done=lambda site: f"{reverse('permissions')}?site={site.pk}",
    )
