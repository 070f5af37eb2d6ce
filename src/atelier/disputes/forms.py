"""Forms of disputes: open one, instruct it (cause, person in charge), write a proposal or the mediator referral,
decide its outcome."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.models import User
from atelier.disputes.choices import DisputeCause, DisputeChannel, DisputeOutcome


class DisputeOpenForm(forms.Form):
    channel = forms.ChoiceField(label=_("Reçu par"), choices=[("", "—"), *DisputeChannel.choices])
    received_on = forms.DateField(
        label=_("Reçu le"), widget=DateInput(), required=False, help_text=_("Vide : aujourd'hui.")
    )
    summary = forms.CharField(
        label=_("Ce que conteste le client"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class InstructForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause identifiée"), choices=[("", "—"), *DisputeCause.choices])
    cause_detail = forms.CharField(
        label=_("Précisions"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    assigned_to = forms.ModelChoiceField(label=_("Suivi par"), queryset=User.objects.none())

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            self.fields["assigned_to"].queryset = User.objects.filter(sites=site, is_active=True).order_by(
                "last_name", "first_name", "username"
            )


class LetterForm(forms.Form):
    text = forms.CharField(
        label=_("Texte de la lettre"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class MediationForm(forms.Form):
    text = forms.CharField(
        label=_("Mot d'accompagnement (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Issue"), choices=[("", "—"), *DisputeOutcome.choices])
    reason = forms.CharField(
        label=_("Motif (écrit dans la lettre au client)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    amount = forms.CharField(
        label=_("Montant TTC (€)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0,00", "autocomplete": "off"}),
        help_text=_("Pour un geste commercial (avoir sur la facture) ou un remboursement."),
    )
