from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.signature import SignatureField
from atelier.loans.choices import Handover, LoanCondition
from atelier.loans.models import LoanAppliance


class LoanForm(forms.Form):
    appliance = forms.ModelChoiceField(label=_("Appareil prêté"), queryset=LoanAppliance.objects.none())
    due_on = forms.DateField(label=_("À rendre au plus tard le"), widget=DateInput())
    delivery = forms.ChoiceField(label=_("Remise"), choices=Handover.choices)
    return_mode = forms.ChoiceField(label=_("Retour"), choices=Handover.choices)
    deposit = forms.CharField(label=_("Dépôt de garantie (€)"), required=False, initial="0,00")
    fee = forms.CharField(label=_("Frais de prêt TTC (€)"), required=False, initial="0,00")
    signer_name = forms.CharField(label=_("Nom du signataire"), max_length=150)
    signature = SignatureField(label=_("Signature du client (accepte les conditions du prêt)"))

    def __init__(self, *args, appliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        if appliances is not None:
            self.fields["appliance"].queryset = appliances


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(label=_("État au retour"), choices=LoanCondition.choices)
    note = forms.CharField(label=_("Remarques"), required=False, max_length=255)
