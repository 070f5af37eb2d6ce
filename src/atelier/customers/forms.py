"""Forms of the customer file and the appliance: they parse input (types, choices); the services normalise,
check every rule and save, and the views put the services' refusals back next to the fields.

Labels come from the models (French). Fields are grouped in fieldsets shaped like forms, so each group is
rendered by core/_form_fields.html.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.models import Site
from atelier.core.validators import format_phone
from atelier.customers.choices import ConsentSource, RequestChannel
from atelier.customers.cleaning import email_lower, phone_e164, postcode_compact, siren_compact
from atelier.customers.models import Appliance, Customer
from atelier.customers.services import APPLIANCE_FIELDS, CUSTOMER_FIELDS


class FieldGroup:
    """A titled subset of a form's fields, with the attributes core/_form_fields.html reads from a form."""

    def __init__(self, form: forms.BaseForm, legend: str, names: tuple[str, ...]):
        self.form, self.legend, self.names = form, legend, names

    def visible_fields(self):
        return [self.form[name] for name in self.names if name in self.form.fields]

    def hidden_fields(self):
        return []

    def non_field_errors(self):
        return []


class _ServiceForm:
    """A ModelForm that leaves the model's rules to the service.

    ModelForm would run Model.clean() on a half-built instance: with an invalid phone dropped from
    cleaned_data, it would also complain that no phone was given. The service checks the raw values, all rules
    at once, and is the only place they live. The instance given to the form is therefore left untouched.
    """

    groups_spec: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def _post_clean(self):
        pass

    @property
    def groups(self) -> list[FieldGroup]:
        return [FieldGroup(self, legend, names) for legend, names in self.groups_spec]

    def service_fields(self) -> dict:
        """The cleaned values the service takes (model fields only)."""
        return {name: value for name, value in self.cleaned_data.items() if name in self._meta.fields}


def _allow_typed_spaces(field: forms.CharField, width: int) -> None:
    """Let '732 829 320' or '06 12 34 56 78' through the form's length check: they are stored compacted."""
    field.max_length = width
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.widget.attrs["maxlength"] = str(width)


ADDRESS_WIDGETS = {
    "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    "city": forms.TextInput(attrs={"list": "communes-list", "autocomplete": "address-level2"}),
}


def offer_communes(form: forms.BaseForm) -> None:
    """Typing a postcode offers its communes in the city field (htmx fills <datalist id="communes-list">,
    which the page provides)."""
    form.fields["postcode"].widget.attrs.update(
        {
            "hx-get": reverse_lazy("customers:communes"),
            "hx-target": "#communes-list",
            "hx-swap": "outerHTML",
            "hx-trigger": "input changed delay:300ms",
        }
    )


class CustomerForm(_ServiceForm, forms.ModelForm):
    """Create or change a customer file. On creation pass `sites` (the user's): a choice when several."""

    groups_spec = (
        (
            _("Identité"),
            ("site", "kind", "civility", "last_name", "first_name", "company_name", "siren", "vat_number"),
        ),
        (_("Coordonnées"), ("phone", "phone2", "email", "preferred_contact")),
        (_("Adresse"), ("address", "address2", "postcode", "city")),
        (
            _("Accessibilité"),
            (
                "needs_reduced_mobility",
                "needs_hearing",
                "needs_low_vision",
                "language",
                "accessibility_notes",
            ),
        ),
        (
            _("Consentement et remarques"),
            ("consent_contact", "consent_marketing", "consent_source", "notes"),
        ),
    )

    consent_source = forms.ChoiceField(
        label=_("Consentement recueilli"),
        choices=[(ConsentSource.GUICHET, _("Au guichet")), (ConsentSource.TELEPHONE, _("Par téléphone"))],
        initial=ConsentSource.GUICHET,
        required=False,  # left out (an older client, a script): at the counter
        help_text=_("Noté dans l'historique des consentements quand l'un d'eux change."),
    )

    class Meta:
        model = Customer
        fields = list(CUSTOMER_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "phone2": forms.TextInput(attrs={"type": "tel"}),
            **ADDRESS_WIDGETS,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, width in (
            ("siren", 20),
            ("vat_number", 20),
            ("phone", 30),
            ("phone2", 30),
            ("postcode", 10),
        ):
            _allow_typed_spaces(self.fields[name], width)
        self.fields["phone"].help_text = _("ex. 06 12 34 56 78 ou +32 2 123 45 67")
        self.fields["siren"].help_text = _("Pour un professionnel : 9 chiffres, espaces acceptés.")
        self.default_site: Site | None = None
        if sites is not None:
            sites = list(sites)
            if len(sites) == 1:
                self.default_site = sites[0]
            elif sites:
                self.fields["site"] = forms.ModelChoiceField(
                    queryset=Site.objects.filter(pk__in=[s.pk for s in sites]),
                    label=_("Site"),
                    empty_label=_("Choisissez le site"),
                )
                self.order_fields(["site"])
        if self.instance.pk and not self.is_bound:
            for name in ("phone", "phone2"):
                self.initial[name] = format_phone(getattr(self.instance, name))
        offer_communes(self)

    def service_fields(self) -> dict:
        return {
            **super().service_fields(),
            "consent_source": self.cleaned_data.get("consent_source") or ConsentSource.GUICHET,
        }

    @property
    def chosen_site(self) -> Site | None:
        return self.cleaned_data.get("site") or self.default_site


class CustomerCreateForm(CustomerForm):
    """The creation form: typing a phone or an e-mail asks the server for possible duplicates (htmx)."""

    create_anyway = forms.BooleanField(
        label=_("Créer quand même"),
        required=False,
        help_text=_("Cochez si ce n'est pas la même personne que les fiches ci-dessus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        watch = {
            "hx-get": reverse_lazy("customers:duplicates"),
            "hx-target": "#duplicates",
            "hx-trigger": "input changed delay:500ms, change",
            "hx-include": "[name='phone'], [name='phone2'], [name='email'], [name='site']",
        }
        for name in ("phone", "phone2", "email"):
            self.fields[name].widget.attrs.update(watch)


class ApplianceForm(_ServiceForm, forms.ModelForm):
    """Record or change an appliance; the warranty end may be left blank to be computed."""

    groups_spec = (
        (_("Appareil"), ("family", "brand", "model_ref", "serial_number")),
        (
            _("Achat et garantie"),
            ("purchase_date", "purchase_place", "purchase_price", "bought_new", "warranty_end"),
        ),
        (_("Remarques"), ("notes",)),
    )

    class Meta:
        model = Appliance
        fields = list(APPLIANCE_FIELDS)
        widgets = {
            "purchase_date": DateInput(),
            "warranty_end": DateInput(),
            "purchase_price": forms.NumberInput(attrs={"min": "0", "step": "0.01", "inputmode": "decimal"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "family": {"invalid_choice": _("« %(value)s » n'est pas une famille de produit connue.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purchase_date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_fields(self) -> dict:
        """A warranty end still showing the old computed date is recomputed when the purchase changes."""
        fields = super().service_fields()
        purchase_changed = {"purchase_date", "bought_new"} & set(self.changed_data)
        if self.instance.pk and purchase_changed and "warranty_end" not in self.changed_data:
            fields["warranty_end"] = None
        return fields


class CustomerAdminForm(forms.ModelForm):
    """The admin saves the form itself, so this one normalises and keeps the model's validation."""

    class Meta:
        model = Customer
        fields = ["site", *CUSTOMER_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, width in (
            ("siren", 20),
            ("vat_number", 20),
            ("phone", 30),
            ("phone2", 30),
            ("postcode", 10),
        ):
            _allow_typed_spaces(self.fields[name], width)

    def clean_phone(self):
        return phone_e164(self.cleaned_data.get("phone"))

    def clean_phone2(self):
        return phone_e164(self.cleaned_data.get("phone2"))

    def clean_email(self):
        return email_lower(self.cleaned_data.get("email"))

    def clean_siren(self):
        return siren_compact(self.cleaned_data.get("siren"))

    def clean_vat_number(self):
        return siren_compact(self.cleaned_data.get("vat_number"))

    def clean_postcode(self):
        return postcode_compact(self.cleaned_data.get("postcode"))


# --- personal data (customers.privacy, customers.retention) ---


class PrivacyRequestForm(forms.Form):
    """How and when the person asked (kept in the register of personal-data actions)."""

    channel = forms.ChoiceField(label=_("Demande reçue"), choices=RequestChannel.choices)
    requested_on = forms.DateField(
        label=_("Date de la demande"), widget=DateInput(), initial=timezone.localdate
    )


class ExportForm(PrivacyRequestForm):
    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[("json", _("JSON (lisible par une machine)")), ("pdf", _("PDF (à remettre ou envoyer)"))],
        initial="json",
        widget=forms.RadioSelect,
    )


class EraseForm(PrivacyRequestForm):
    reason = forms.CharField(label=_("Précisions"), max_length=255, required=False)
    confirm = forms.BooleanField(
        label=_(
            "Je confirme : l'identité, les coordonnées et les remarques seront remplacées, sans retour possible"
        ),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"channel": data["channel"], "requested_on": data["requested_on"], "reason": data["reason"]}


class KeepForm(forms.Form):
    until = forms.DateField(label=_("Conserver jusqu'au"), widget=DateInput())
    reason = forms.CharField(label=_("Motif légitime"), max_length=255, help_text=_("ex. litige en cours"))


class RetentionRunForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    confirm = forms.BooleanField(label=_("Je confirme l'anonymisation des fiches échues de ce site"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(pk__in=[s.pk for s in sites])

    def service_kwargs(self) -> dict:
        return {"site": self.cleaned_data["site"]}


class RetentionYearsForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    years = forms.IntegerField(label=_("Durée de conservation (années)"), min_value=1, max_value=10)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
