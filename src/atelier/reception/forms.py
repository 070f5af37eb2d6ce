"""Forms of the reception: they parse and the views hand the values to one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.customers.choices import ContactChannel
from atelier.customers.forms import ADDRESS_WIDGETS, offer_communes
from atelier.reception.choices import ComplaintCause, Destination, Reason
from atelier.reception.models import PriorityRule


class TicketForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=Reason.choices)
    priority = forms.ModelChoiceField(
        label=_("Priorité"),
        queryset=PriorityRule.objects.filter(is_active=True),
        required=False,
        empty_label=_("Aucune (ordre d'arrivée)"),
    )


class CallForm(forms.Form):
    caller_number = forms.CharField(
        label=_("Numéro de l'appelant"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    reason = forms.ChoiceField(label=_("Motif de l'appel"), choices=Reason.choices)


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Pourquoi avant son tour ?"), max_length=200)


class RedirectForm(forms.Form):
    # A free field, checked by the service: an unknown service gets its own French message.
    destination = forms.CharField(
        label=_("Vers"), max_length=30, widget=forms.Select(choices=[("", "—"), *Destination.choices])
    )
    note = forms.CharField(label=_("Note pour le service"), max_length=300, required=False)


class QuickCustomerForm(forms.Form):
    """The few fields needed to open a file at the counter; the rest can be completed on the file.

    The address is asked here (a home visit or a home quote needs it), with the customer form's commune lookup;
    consent is asked as on the customer form, never assumed.
    """

    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=25, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    preferred_contact = forms.ChoiceField(
        label=_("Contact préféré"), choices=ContactChannel.choices, initial=ContactChannel.TELEPHONE
    )
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("Code postal"), max_length=10, required=False, widget=ADDRESS_WIDGETS["postcode"]
    )
    city = forms.CharField(label=_("Ville"), max_length=120, required=False, widget=ADDRESS_WIDGETS["city"])
    consent_contact = forms.BooleanField(
        label=_("Accepte d'être contacté"),
        required=False,
        help_text=_("Messages de suivi de sa réparation (RGPD)."),
    )
    needs_reduced_mobility = forms.BooleanField(label=_("Mobilité réduite"), required=False)
    needs_hearing = forms.BooleanField(label=_("Surdité / malentendant"), required=False)
    needs_low_vision = forms.BooleanField(label=_("Malvoyance"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_communes(self)


class ComplaintForm(forms.Form):
    said = forms.CharField(
        label=_("Ce que le client a dit"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    cause = forms.ChoiceField(label=_("Cause"), choices=[("", "—"), *ComplaintCause.choices])
    action_taken = forms.CharField(
        label=_("Ce qui a été fait"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    manager_called = forms.BooleanField(label=_("Le responsable SAV a été appelé"), required=False)


class HandleForm(forms.Form):
    note = forms.CharField(label=_("Suite donnée"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Période"),
        coerce=int,
        choices=[(1, _("Aujourd'hui")), (7, _("7 derniers jours")), (30, _("30 derniers jours"))],
        initial=1,
        required=False,
    )
