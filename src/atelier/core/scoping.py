"""Who sees what: the one site filter of Atelier (NetBox's `RestrictedQuerySet.restrict(user)`).

Every site-bound model names its path to its site in `site_path` ("site", "case__site", "pk" for Site
itself) and uses `SiteScopedManager` (or a manager built from `SiteScopedQuerySet`). Views, selectors,
forms, plugins and the API read `Model.objects.visible_to(user)`, never a hand-written site filter, so one
missed filter cannot leak another site's data. An object of another site answers 404, never 403.

Inside a view guarded by `core.access.step_required`, only the sites where the user may do that step are
visible (a person working on two sites whose permission matrices differ).

A superuser flag gives no way round it: only the sites a user works in, or every site for a chain manager
(`User.is_chain_manager`), are visible.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404


class SiteScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> SiteScopedQuerySet:
        """The rows of the sites this user may see (none for an anonymous user)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(**{f"{self.model.site_path}__in": site_ids_for(user)})

    def of_site(self, site) -> SiteScopedQuerySet:
        """The rows of one site (a site object or its primary key)."""
        return self.filter(**{self.model.site_path: site})


SiteScopedManager = models.Manager.from_queryset(SiteScopedQuerySet)


def site_ids_for(user) -> frozenset[int]:
    """The user's sites, narrowed inside a view to those where the user may do the view's step
    (`core.access.step_required` names it on the request's user)."""
    site_ids = user.visible_site_ids
    for code in getattr(user, "_scoped_steps", ()):
        from atelier.core.access import sites_allowing

        site_ids = site_ids & frozenset(sites_allowing(user, code))
    return site_ids


def visible_or_404(queryset, user, /, **lookup):
    """One object the user may see, else 404 (also for an id that is not a number)."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return get_object_or_404(queryset.visible_to(user), **lookup)
    except (ValueError, TypeError):  # « abc » where a number is expected: no such object, not a 500
        raise Http404 from None


def site_of(obj):
    """The site an object of a site-bound model belongs to, following its `site_path`."""
    path = type(obj).site_path
    if path == "pk":
        return obj
    for step in path.split("__"):
        obj = getattr(obj, step)
    return obj


def site_bound_models() -> list[type[models.Model]]:
    """Every model that declares its path to a site (the generated isolation test walks them)."""
    return [m for m in apps.get_models() if getattr(m, "site_path", None)]
