"""Forms of the quote screens; amounts are read as text so the services give the French refusal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import VatKind
from atelier.core.forms import DateInput, DateTimeInput
from atelier.core.selectors import technicians_for
from atelier.core.signature import SignatureField
from atelier.quotes.choices import AcceptanceContext, ExemptionCheck, LineKind, SendChannel
from atelier.quotes.models import UsedPartExemption
from atelier.quotes.skills import skill_choices, tool_choices
from atelier.stock.choices import Availability
from atelier.stock.models import Part

DATE = DateInput()
PART_SLOTS = 3


class SolutionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=120)
    work_description = forms.CharField(
        label=_("Travaux à réaliser"), widget=forms.Textarea(attrs={"rows": 3})
    )
    labour_hours = forms.CharField(label=_("Heures de main-d'œuvre"), max_length=10)
    include_travel = forms.BooleanField(label=_("Frais de déplacement"), required=False)
    include_diagnosis = forms.BooleanField(label=_("Forfait diagnostic"), required=False)
    replacement_price_ttc = forms.CharField(
        label=_("Prix d'un appareil neuf comparable TTC (€)"),
        required=False,
        help_text=_("Laisser vide pour le prix de référence de la famille."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parts = Part.objects.filter(is_active=True).exclude(availability=Availability.INDISPONIBLE)
        for i in range(1, PART_SLOTS + 1):
            self.fields[f"part_{i}"] = forms.ModelChoiceField(
                label=_("Pièce %(n)s") % {"n": i}, queryset=parts, required=False
            )
            self.fields[f"quantity_{i}"] = forms.IntegerField(label=_("Quantité"), required=False, initial=1)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        parts = []
        for i in range(1, PART_SLOTS + 1):
            part, qty = data.pop(f"part_{i}"), data.pop(f"quantity_{i}")
            if part:
                parts.append((part, qty if qty is not None else 1))
        return {**data, "parts": parts}


class QuoteCreateForm(forms.Form):
    """Empty on purpose: the quote is built from the solution the button belongs to."""


class LineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=LineKind.choices)
    designation = forms.CharField(label=_("Désignation"), max_length=200)
    quantity = forms.CharField(label=_("Quantité"), max_length=12)
    unit_price_ht = forms.CharField(label=_("Prix unitaire HT (€)"), max_length=14)
    vat_kind = forms.ChoiceField(label=_("TVA"), choices=VatKind.choices)


class QuoteUpdateForm(forms.Form):
    valid_until = forms.DateField(label=_("Valable jusqu'au"), widget=DATE)
    is_charged = forms.BooleanField(label=_("Devis payant"), required=False)
    charge_ht = forms.CharField(label=_("Prix du devis HT (€)"), required=False, max_length=14)
    used_part_info = forms.CharField(
        label=_("Offre de pièces d'occasion ou reconditionnées (prix et délai)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    used_part_exemption = forms.ModelChoiceField(
        label=_("Ou pas d'offre, pour le motif légal"),
        queryset=UsedPartExemption.objects.filter(detected=ExemptionCheck.CHOISIE),
        required=False,
        empty_label=_("— (une offre est faite)"),
        help_text=_(
            "Réparation gratuite ou sous garantie légale : le motif s'applique de lui-même "
            "(art. L224-109 du Code de la consommation)."
        ),
    )

    def clean_charge_ht(self):
        return self.cleaned_data.get("charge_ht") or "0"


class BonusForm(forms.Form):
    apply = forms.BooleanField(label=_("Déduire le bonus réparation"), required=False)


class SendForm(forms.Form):
    channel = forms.ChoiceField(label=_("Envoi"), choices=SendChannel.choices, widget=forms.RadioSelect)


class AcceptForm(forms.Form):
    """Signed on the shared pad (core.signature), or the signed paper quote scanned and attached instead."""

    signer_name = forms.CharField(label=_("Nom du signataire"), max_length=150)
    signature = SignatureField(required=False)
    # the chosen file's data URL, set by the page
    scan = forms.CharField(required=False, widget=forms.HiddenInput)
    context = forms.ChoiceField(
        label=_("Le client signe"),
        choices=[
            (c.value, c.label) for c in (AcceptanceContext.COMPTOIR, AcceptanceContext.HORS_ETABLISSEMENT)
        ],
        initial=AcceptanceContext.COMPTOIR,
        required=False,  # left out (an older page, a script): at the counter
        widget=forms.RadioSelect,
    )
    early_start = forms.BooleanField(
        label=_(
            "Chez lui : le client demande expressément que la réparation commence avant la fin du délai de "
            "rétractation (art. L221-25)"
        ),
        required=False,
    )
    urgent_home_repair = forms.BooleanField(
        label=_(
            "Chez lui : réparation urgente demandée par le client, limitée à ce que l'urgence exige — pas de "
            "droit de rétractation (art. L221-28 8°)"
        ),
        required=False,
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "signer_name": data["signer_name"],
            "signature": data["scan"] or data["signature"],
            "context": data["context"] or AcceptanceContext.COMPTOIR,
            "early_start": data["early_start"],
            "urgent_home_repair": data["urgent_home_repair"],
        }


class EarlyStartForm(forms.Form):
    """The customer's express request to start before the withdrawal period ends, received after signing."""

    confirm = forms.BooleanField(
        label=_("Le client a demandé par écrit que la réparation commence avant la fin du délai"),
        error_messages={"required": _("Cochez la case pour noter la demande expresse du client.")},
    )

    def service_kwargs(self) -> dict:
        return {}


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2}))
    signer_name = forms.CharField(label=_("Nom du client"), max_length=150, required=False)
    charge_diagnosis = forms.BooleanField(label=_("Facturer le forfait diagnostic"), required=False)


class RepairOrderForm(forms.Form):
    promised_on = forms.DateField(label=_("Délai promis au client"), widget=DATE)
    skills = forms.MultipleChoiceField(
        label=_("Compétences requises"), required=False, widget=forms.CheckboxSelectMultiple
    )
    tools = forms.MultipleChoiceField(
        label=_("Outillage requis"), required=False, widget=forms.CheckboxSelectMultiple
    )
    technician = forms.ModelChoiceField(label=_("Technicien"), queryset=None, required=False)
    planned_for = forms.DateTimeField(
        label=_("Intervention le"),
        required=False,
        widget=DateTimeInput(),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians_for(user)
        self.fields["skills"].choices = skill_choices()
        self.fields["tools"].choices = tool_choices()
