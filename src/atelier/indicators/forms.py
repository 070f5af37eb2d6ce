"""The filters of the indicators page and API: a period (default: the last 30 days up to today), a site among the
user's, a technician, a family, a brand, a place of work. Bad input is a French error (400), another site a 403."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.access import refuse_other_site, sites_allowing
from atelier.core.choices import Role
from atelier.core.forms import DateInput
from atelier.core.models import Site, User
from atelier.customers.choices import ProductFamily
from atelier.indicators.aggregate import Scope
from atelier.repairs.choices import WorkLocation

MAX_DAYS = 3 * 366  # beyond, the comparison with the previous period means little and the live part grows
DEFAULT_DAYS = 30


class IndicatorFilters(forms.Form):
    date_from = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)
    technician = forms.TypedChoiceField(label=_("Technicien"), required=False, coerce=int, empty_value=None)
    family = forms.ChoiceField(
        label=_("Famille"), required=False, choices=[("", _("Toutes"))] + list(ProductFamily.choices)
    )
    brand = forms.CharField(label=_("Marque"), required=False, max_length=80)
    location = forms.ChoiceField(
        label=_("Lieu"), required=False, choices=[("", _("Atelier et domicile"))] + list(WorkLocation.choices)
    )

    def __init__(self, data, *, user):
        # no date given at all: the last 30 days; a date field sent empty is an « empty period » (an error)
        data = data.copy() if data is not None else {}
        self.user = user
        self.site_ids = tuple(sites_allowing(user, "indicators.view"))
        super().__init__(data)
        sites = Site.objects.filter(pk__in=self.site_ids).order_by("code")
        self.sites = list(sites)
        self.fields["site"].choices = [("", _("Tous mes sites"))] + [
            (s.pk, f"{s.code} · {s.name}") for s in self.sites
        ]
        technicians = (
            User.objects.filter(sites__in=self.site_ids, roles__role=Role.TECHNICIEN)
            .distinct()
            .order_by("last_name", "first_name")
            if self.site_ids
            else User.objects.none()
        )
        self.fields["technician"].choices = [("", _("Tous"))] + [
            (u.pk, u.get_full_name() or u.username) for u in technicians
        ]

    def full_clean(self):
        # a site that is not the user's is refused in French (403) before anything else, not a « choice » error
        raw = self.data.get("site")
        if raw not in (None, ""):
            try:
                site_id = int(raw)
            except (TypeError, ValueError):
                site_id = None
            if site_id is not None and site_id not in self.site_ids:
                refuse_other_site(self.user, site_id)
                from atelier.core.errors import PermissionRefused

                raise PermissionRefused(_("Vous ne pouvez pas consulter les indicateurs de ce site."))
        super().full_clean()

    def clean(self):
        data = super().clean()
        sent = "date_from" in self.data or "date_to" in self.data
        today = timezone.localdate()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        if sent and (date_from is None or date_to is None):
            raise forms.ValidationError(_("Période vide : indiquez la date de début et la date de fin."))
        if not sent:
            date_to = today
            date_from = today - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:
            raise forms.ValidationError(
                _("Période inversée : le %(start)s est après le %(end)s. Mettez la date de début en premier.")
                % {"start": date_from.strftime("%d/%m/%Y"), "end": date_to.strftime("%d/%m/%Y")}
            )
        if (date_to - date_from).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("La période ne peut dépasser trois ans."))
        if date_from > today:
            raise forms.ValidationError(
                _("La période commence après aujourd'hui : il n'y a encore rien à mesurer.")
            )
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def scope(self) -> Scope:
        d = self.cleaned_data
        site_ids = (d["site"],) if d.get("site") else self.site_ids
        return Scope(
            site_ids,
            d.get("technician"),
            d.get("family") or "",
            (d.get("brand") or "").strip(),
            d.get("location") or "",
        )

    def previous_period(self) -> tuple[datetime.date, datetime.date]:
        """The period of the same length just before."""
        d = self.cleaned_data
        length = (d["date_to"] - d["date_from"]).days + 1
        return d["date_from"] - datetime.timedelta(days=length), d["date_from"] - datetime.timedelta(days=1)
