"""Forms of the billing screens; they only read input, the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import AnomalyKind, IncidentKind, PaymentMethod, PeriodKind
from atelier.core.forms import DateInput
from atelier.core.models import Site, User
from atelier.core.signature import SignatureField

AMOUNT_ATTRS = {"inputmode": "decimal", "placeholder": "0,00", "autocomplete": "off"}


def _amount(label, required=False):
    return forms.CharField(label=label, required=required, widget=forms.TextInput(attrs=AMOUNT_ATTRS))


class PaymentForm(forms.Form):
    """One payment, possibly mixed: an amount per method."""

    carte = _amount(_("Carte bancaire (€)"))
    especes = _amount(_("Espèces (€)"))
    cash_tendered = _amount(_("Espèces remises par le client (€)"))
    cheque = _amount(_("Chèque (€)"))
    virement = _amount(_("Virement (€)"))
    reference = forms.CharField(
        label=_("Référence (n° de chèque, de virement)"), required=False, max_length=80
    )
    payer_resident = forms.TypedChoiceField(
        label=_("Domicile fiscal du payeur"),
        choices=[("1", _("En France")), ("0", _("Hors de France (particulier non résident)"))],
        coerce=lambda v: v == "1",
        initial="1",
    )
    receipt = forms.BooleanField(label=_("Le client veut un reçu"), required=False)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "parts": [(m, d.get(m)) for m in PaymentMethod.values],
            "cash_tendered": d.get("cash_tendered"),
            "payer_resident": d["payer_resident"],
            "reference": d.get("reference", ""),
        }


class RefundForm(forms.Form):
    """Money given back to the customer after a credit note."""

    method = forms.ChoiceField(label=_("Moyen"), choices=PaymentMethod.choices)
    amount = _amount(_("Montant remboursé (€)"), required=True)
    reference = forms.CharField(
        label=_("Référence (n° de chèque, de virement, ticket carte)"), required=False, max_length=80
    )


class CreditNoteForm(forms.Form):
    amount_ttc = _amount(_("Montant TTC de l'avoir (€)"), required=True)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))


class AnomalyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Anomalie"), choices=AnomalyKind.choices)
    method = forms.ChoiceField(label=_("Moyen"), choices=[("", "—"), *PaymentMethod.choices], required=False)
    amount = _amount(_("Montant (€)"))
    note = forms.CharField(label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnpaidForm(forms.Form):
    reason = forms.CharField(label=_("Motif du reste dû"), widget=forms.Textarea(attrs={"rows": 2}))
    assigned_to = forms.ModelChoiceField(label=_("Suivi par"), queryset=User.objects.none())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["assigned_to"].queryset = User.objects.filter(is_active=True, sites=case.site_id)


class HandBackForm(forms.Form):
    signer_name = forms.CharField(label=_("Nom de la personne qui reprend l'appareil"), max_length=150)
    note = forms.CharField(
        label=_("Remarques à la remise"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signature = SignatureField(label=_("Signature du client"))


class OnlineAcceptForm(forms.Form):
    """The customer accepts the quote alone, on the public tracking page."""

    signer_name = forms.CharField(label=_("Votre nom"), max_length=150)
    agree = forms.BooleanField(
        label=_("J'ai lu le devis et je l'accepte"),
        error_messages={"required": _("Cochez « J'ai lu le devis et je l'accepte » pour accepter le devis.")},
    )
    signature = SignatureField(
        label=_("Votre signature"),
        error_messages={"required": _("Signez dans le cadre pour accepter le devis.")},
    )
    # accepted at a distance: the withdrawal period runs; ticking is the express request of L221-25
    early_start = forms.BooleanField(
        label=_(
            "Je demande que la réparation commence avant la fin du délai de rétractation ; si je me rétracte "
            "ensuite, je paierai la part déjà réalisée (art. L221-25 du Code de la consommation)"
        ),
        required=False,
    )

    def service_kwargs(self) -> dict:
        return {
            "signer_name": self.cleaned_data["signer_name"],
            "signature": self.cleaned_data["signature"],
            "early_start": self.cleaned_data["early_start"],
        }


class OnlineRefuseForm(forms.Form):
    """The customer refuses the quote alone, on the public tracking page, and says why."""

    reason = forms.CharField(
        label=_("Pourquoi refusez-vous le devis ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Dites-nous pourquoi vous refusez le devis.")},
    )
    signer_name = forms.CharField(label=_("Votre nom"), max_length=150, required=False)

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"], "signer_name": self.cleaned_data["signer_name"]}


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=IncidentKind.choices)
    description = forms.CharField(label=_("Constat"), widget=forms.Textarea(attrs={"rows": 3}))
    part_reference = forms.CharField(label=_("Référence de pièce"), required=False, max_length=60)


class ClosureForm(forms.Form):
    period = forms.ChoiceField(label=_("Période"), choices=PeriodKind.choices)
    start = forms.DateField(
        label=_("Jour de la période"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)


class BillingStartForm(forms.Form):
    """From which day a site bills in Atelier (before its first document only)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    since = forms.DateField(label=_("Facturation dans Atelier depuis le"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)


class BonusClaimForm(forms.Form):
    """A button on a bonus claim: what happened at the eco-organism (the state is in the URL)."""
