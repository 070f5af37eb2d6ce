"""Forms of improvement: the customer's survey, the manager's follow-up, proposing and moving an action,
measuring its indicator, the ORDS export and the site's ORDS settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.models import Site, User
from atelier.customers.choices import ProductFamily
from atelier.improvement.choices import FollowUp, Indicator

RECOMMENDATION_CHOICES = [(n, str(n)) for n in range(11)]
SATISFACTION_CHOICES = [
    (1, _("1 – Pas du tout satisfait")),
    (2, _("2 – Peu satisfait")),
    (3, _("3 – Moyennement satisfait")),
    (4, _("4 – Satisfait")),
    (5, _("5 – Très satisfait")),
]


class SurveyForm(forms.Form):
    recommendation = forms.TypedChoiceField(
        label=_("Recommanderiez-vous notre atelier à un proche ? (0 : pas du tout, 10 : certainement)"),
        choices=RECOMMENDATION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={
            "required": _("Choisissez une note de 0 à 10."),
            "invalid_choice": _("La recommandation est une note de 0 à 10."),
        },
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Êtes-vous satisfait de la réparation et de notre service ?"),
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        error_messages={
            "required": _("Choisissez une note de 1 à 5."),
            "invalid_choice": _("La satisfaction est une note de 1 à 5."),
        },
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Suivi"), choices=[c for c in FollowUp.choices if c[0]], initial=FollowUp.EN_COURS
    )
    note = forms.CharField(
        label=_("Ce qui a été fait"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _site_choices(user, step: str):
    from atelier.core.access import sites_allowing

    return Site.objects.filter(pk__in=sites_allowing(user, step)).order_by("code")


class ProposeForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    title = forms.CharField(label=_("Problème constaté"), max_length=200)
    problem = forms.CharField(
        label=_("Constat détaillé"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem_indicator = forms.ChoiceField(
        label=_("Indicateur qui montre le problème"), choices=[("", "—"), *Indicator.choices], required=False
    )
    cases = forms.CharField(
        label=_("Dossiers concernés"),
        required=False,
        help_text=_("Numéros de dossier séparés par des virgules, ex. PAR1-2026-00012"),
    )
    claims = forms.CharField(
        label=_("Réclamations concernées"), required=False, help_text=_("Numéros séparés par des virgules")
    )
    complaints = forms.CharField(
        label=_("Mécontentements concernés"),
        required=False,
        help_text=_("Numéros (n° interne) séparés par des virgules"),
    )
    disputes = forms.CharField(
        label=_("Litiges concernés"), required=False, help_text=_("Numéros séparés par des virgules")
    )
    cause = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(
        label=_("Action proposée"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    effect_indicator = forms.ChoiceField(
        label=_("Indicateur qui montrera l'effet"), choices=[("", "—"), *Indicator.choices], required=False
    )
    effect_family = forms.ChoiceField(
        label=_("Mesuré sur la famille"), choices=[("", _("Toutes")), *ProductFamily.choices], required=False
    )
    effect_brand = forms.CharField(label=_("Mesuré sur la marque"), required=False, max_length=80)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["site"].queryset = _site_choices(user, "improvement.propose")
        if self.fields["site"].queryset.count() == 1:
            self.fields["site"].initial = self.fields["site"].queryset.first()

    def _objects(self, name: str, model, number_field: str):
        raw = [v.strip() for v in self.cleaned_data.get(name, "").replace(";", ",").split(",") if v.strip()]
        site = self.cleaned_data.get("site")
        if not raw or site is None:
            return []
        found = {
            str(getattr(o, number_field)): o
            for o in model.objects.filter(site=site, **{f"{number_field}__in": raw})
        }
        missing = [v for v in raw if v not in found]
        if missing:
            raise ValidationError(
                _("Inconnu(s) sur le site %(site)s : %(v)s") % {"site": site.name, "v": ", ".join(missing)}
            )
        return list(found.values())

    def clean(self):
        from atelier.aftersales.models import Claim
        from atelier.disputes.models import Dispute
        from atelier.reception.models import Complaint
        from atelier.repairs.models import RepairCase

        data = super().clean()
        for name, model, number in (
            ("cases", RepairCase, "number"),
            ("claims", Claim, "number"),
            ("complaints", Complaint, "pk"),
            ("disputes", Dispute, "number"),
        ):
            try:
                data[f"{name}_objects"] = self._objects(name, model, number)
            except ValidationError as exc:
                self.add_error(name, exc)
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "site": d["site"],
            "title": d["title"],
            "problem": d["problem"],
            "problem_indicator": d["problem_indicator"],
            "cause": d["cause"],
            "action": d["action"],
            "effect_indicator": d["effect_indicator"],
            "effect_family": d["effect_family"],
            "effect_brand": d["effect_brand"],
            "cases": d.get("cases_objects", []),
            "claims": d.get("claims_objects", []),
            "complaints": d.get("complaints_objects", []),
            "disputes": d.get("disputes_objects", []),
        }


class DecideForm(forms.Form):
    plan = forms.CharField(label=_("Action décidée"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Menée par"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Échéance"), widget=DateInput())
    note = forms.CharField(label=_("Commentaire"), required=False)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        if action is not None:
            self.fields["owner"].queryset = User.objects.filter(
                sites=action.site_id, is_active=True
            ).order_by("last_name", "first_name", "pk")
            self.fields["plan"].initial = action.action

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "move": "decide",
            "plan": d["plan"],
            "owner": d["owner"],
            "due_on": d["due_on"],
            "note": d["note"],
        }


class MoveForm(forms.Form):
    note = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeasureForm(forms.Form):
    start = forms.DateField(label=_("Du"), widget=DateInput())
    end = forms.DateField(label=_("Au"), widget=DateInput())


class PeriodForm(forms.Form):
    """The ORDS export's period and site."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    start = forms.DateField(label=_("Clôturés du"), widget=DateInput())
    end = forms.DateField(label=_("au"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _site_choices(user, "improvement.ords")


class OrdsSettingsForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["ords_data_provider", "ords_id_prefix"]
