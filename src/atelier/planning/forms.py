import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.params import as_id
from atelier.customers.choices import ProductFamily
from atelier.planning.models import DropOffSlot, Need, TechnicianProfile, VisitPriority
from atelier.quotes.skills import tool_choices

WEEKDAY_CHOICES = [
    (0, "Lundi"),
    (1, "Mardi"),
    (2, "Mercredi"),
    (3, "Jeudi"),
    (4, "Vendredi"),
    (5, "Samedi"),
    (6, "Dimanche"),
]
TIME = {"widget": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class ProfileForm(forms.ModelForm):
    families = forms.MultipleChoiceField(
        label=_("Familles traitées"),
        choices=ProductFamily.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    working_days = forms.TypedMultipleChoiceField(
        label=_("Jours travaillés"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TechnicianProfile
        fields = [
            "families",
            "brands",
            "repair_level",
            "electrical_clearance",
            "gas",
            "refrigerant_certificate",
            "zones",
            "start_from",
            "home_postcode",
            "home_city",
            "day_start",
            "day_end",
            "break_earliest",
            "break_latest",
            "break_minutes",
            "working_days",
            "is_active",
        ]
        widgets = {
            f: forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            for f in ("day_start", "day_end", "break_earliest", "break_latest")
        }


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Jour d'absence"), widget=DateInput())
    reason = forms.CharField(label=_("Motif"), max_length=120, required=False)


WINDOW_LINE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})\s+(\d{1,2})[:h](\d{2})\s*[-–]\s*(\d{1,2})[:h](\d{2})$")


class VisitForm(forms.Form):
    duration_minutes = forms.IntegerField(label=_("Durée prévue (min)"), min_value=5, max_value=600)
    priority = forms.ChoiceField(label=_("Priorité"), choices=VisitPriority.choices)
    needs = forms.MultipleChoiceField(
        label=_("Qualifications requises"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tool_kinds = forms.MultipleChoiceField(
        label=_("Outillage requis"), widget=forms.CheckboxSelectMultiple, required=False
    )
    windows = forms.CharField(
        label=_("Créneaux du client"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "27/11/2026 08:00-12:00"}),
        help_text=_(
            "Un créneau par ligne : JJ/MM/AAAA HH:MM-HH:MM ; plusieurs par jour possibles ; vide : toute la journée."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool_kinds"].choices = tool_choices()

    def clean_windows(self):
        found = []
        for number, line in enumerate(self.cleaned_data["windows"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = WINDOW_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Ligne %(n)s illisible : « %(l)s » (attendu : 27/11/2026 08:00-12:00).")
                    % {"n": number, "l": line}
                )
            d, m, y, h1, m1, h2, m2 = (int(x) for x in match.groups())
            try:
                found.append((datetime.date(y, m, d), datetime.time(h1, m1), datetime.time(h2, m2)))
            except ValueError:
                raise forms.ValidationError(
                    _("Ligne %(n)s : date ou heure impossible (« %(l)s »).") % {"n": number, "l": line}
                ) from None
        return found


def windows_text(visit) -> str:
    return "\n".join(f"{w.day:%d/%m/%Y} {w.start:%H:%M}-{w.end:%H:%M}" for w in visit.windows.all())


class DayForm(forms.Form):
    day = forms.DateField(label=_("Jour"), widget=DateInput())


UNREADABLE_REVISION = _("Révision du plan illisible : rechargez la page.")


class PlanDayForm(forms.Form):
    """The day a button of the day page acts on (« Optimiser », « Proposer la semaine »)."""

    jour = forms.DateField(label=_("Jour"), widget=forms.HiddenInput)


class ValidateForm(PlanDayForm):
    """« Valider le plan »: the revision the manager saw (re-optimised since → refused by the service)."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": UNREADABLE_REVISION, "invalid": UNREADABLE_REVISION},
    )


class ValidateWeekForm(PlanDayForm):
    """« Valider les propositions »: one `revision_AAAA-MM-JJ` per day of the week strip."""

    def clean(self):
        data = super().clean()
        revisions = {}
        for key, value in self.data.items():
            if key.startswith("revision_"):
                try:
                    revisions[datetime.date.fromisoformat(key.removeprefix("revision_"))] = int(value)
                except ValueError:
                    raise forms.ValidationError(UNREADABLE_REVISION) from None
        data["revisions"] = revisions
        return data


class PinForm(PlanDayForm):
    visit = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Choisissez la visite et le technicien.")},
    )
    technician = forms.IntegerField(required=False)


class DropOffForm(forms.Form):
    """A drop-off appointment booked at the counter for a customer of the site (and one of his appliances).

    The customer is found first by the search of the page (a site has tens of thousands of customers: no list of
    them all), then carried as a hidden field; only that customer's appliances are offered."""

    day = forms.DateField(label=_("Jour du dépôt"), widget=DateInput())
    slot = forms.ChoiceField(label=_("Demi-journée"), choices=DropOffSlot.choices)
    family = forms.ChoiceField(label=_("Famille"), choices=ProductFamily.choices)
    customer = forms.ModelChoiceField(
        label=_("Client"),
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={"required": _("Cherchez d'abord le client.")},
    )
    appliance = forms.ModelChoiceField(label=_("Appareil"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, site, customer=None, **kwargs):
        from atelier.customers.models import Appliance, Customer

        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(site=site)
        if customer is not None:
            self.fields["customer"].initial = customer.pk
            chosen = customer.pk
        else:  # a posted form: the customer it names (validated above against the site's customers)
            raw = self.data.get(self.add_prefix("customer"), "")
            chosen = as_id(raw)
        self.fields["appliance"].queryset = Appliance.objects.filter(customer__site=site, customer_id=chosen)


class DropOffCapacityForm(forms.Form):
    family = forms.ChoiceField(label=_("Famille"), choices=ProductFamily.choices)
    slot = forms.ChoiceField(label=_("Demi-journée"), choices=DropOffSlot.choices)
    capacity = forms.IntegerField(label=_("Appareils par demi-journée"), min_value=0, max_value=99)


class DropOffCancelForm(forms.Form):
    """Empty: the appointment is in the URL."""
