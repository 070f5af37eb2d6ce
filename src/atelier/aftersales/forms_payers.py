"""Forms of third-party payers: a payer's share of a line, the customer's excess, the claim file, the payer's
answer. Amounts and percentages are kept as typed: the services parse them (one French message each)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.aftersales.choices import ShareMode
from atelier.aftersales.models_payers import Payer
from atelier.core.forms import DateInput


def _active_payers():
    return Payer.objects.filter(active=True).order_by("name")


class ShareForm(forms.Form):
    """One payer's share of one line (`lines`: the dossier's invoice lines, for the choice of line)."""

    position = forms.TypedChoiceField(label=_("Ligne"), coerce=int, choices=())
    payer = forms.ModelChoiceField(label=_("Payeur"), queryset=Payer.objects.none())
    mode = forms.ChoiceField(label=_("Part"), choices=ShareMode.choices)
    value = forms.CharField(label=_("Montant TTC (€) ou pourcentage"), max_length=20)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [
            (i, f"{i}. {line.designation}") for i, line in enumerate(lines, start=1)
        ]
        self.fields["payer"].queryset = _active_payers()


class ShareRemoveForm(forms.Form):
    share = forms.IntegerField(widget=forms.HiddenInput)


class ExcessForm(forms.Form):
    excess = forms.CharField(label=_("Franchise à la charge du client TTC (€)"), max_length=20, initial="0")
    excess_payer = forms.ModelChoiceField(
        label=_("Payeur qui applique la franchise"), queryset=Payer.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excess_payer"].queryset = _active_payers()


class ClaimFileForm(forms.Form):
    """The claim file the payer requires (serials, proof, fault, its claim number, photos joined)."""

    payer_reference = forms.CharField(label=_("N° de dossier chez le payeur"), max_length=80, required=False)
    purchase_proof = forms.CharField(label=_("Preuve d'achat"), max_length=200, required=False)
    fault = forms.CharField(
        label=_("Panne constatée"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    faulty_serials = forms.CharField(
        label=_("N° de série des pièces défectueuses"), max_length=255, required=False
    )
    replacement_serials = forms.CharField(
        label=_("N° de série des pièces posées"), max_length=255, required=False
    )
    photos_attached = forms.BooleanField(label=_("Photos jointes à l'envoi"), required=False)


class ClaimStepForm(forms.Form):
    """The payer's answer or payment: a note (what to correct, the reason of a refusal), an amount (accepted
    in part, or paid) and the payment's date."""

    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    amount = forms.CharField(label=_("Montant TTC (€)"), max_length=20, required=False)
    paid_on = forms.DateField(label=_("Payée le"), required=False, widget=DateInput())


class EmptyForm(forms.Form):
    pass
