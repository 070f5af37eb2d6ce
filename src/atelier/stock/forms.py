"""Forms of the stock screens: they read and check input; writes go through services via call_service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.search import SEARCH_MAX
from atelier.customers.choices import ProductFamily
from atelier.stock.choices import ImportKind, MoveKind, PartCondition, PartKind, PartStatus, UsedGrade
from atelier.stock.models import Part, Reservation, StockLocation, Supplier
from atelier.stock.selectors import location_list

MANUAL_KINDS = [
    (MoveKind.RECEPTION, _("Réception fournisseur (hors commande)")),
    (MoveKind.DEMONTAGE, _("Démontage (pièce récupérée)")),
    (MoveKind.RETOUR, _("Retour en stock")),
    (MoveKind.CONSOMMATION, _("Consommation sur dossier (sans réservation)")),
    (MoveKind.REBUT, _("Mise au rebut")),
]


class SearchField(forms.CharField):
    """A search term: at most SEARCH_MAX characters, with the French message of the length check."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class PartRefField(forms.CharField):
    """A part typed by its reference or internal code (at most SEARCH_MAX characters)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        part = (
            Part.objects.filter(reference__iexact=value).first()
            or Part.objects.filter(internal_code__iexact=value).first()
        )
        if part is None:
            raise forms.ValidationError(_("Aucune pièce de référence « %(r)s ».") % {"r": value})
        return part


class SiteChoiceField(forms.ModelChoiceField):
    def __init__(self, *, user, **kwargs):
        super().__init__(queryset=Site.objects.visible_to(user), **kwargs)


class LocationChoiceField(forms.ModelChoiceField):
    def __init__(self, *, user, **kwargs):
        super().__init__(queryset=location_list(user), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.site.code} · {obj.code} – {obj.name}"


class StockFilterForm(forms.Form):
    q = SearchField(label=_("Recherche"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    location = forms.ModelChoiceField(
        label=_("Emplacement"), queryset=StockLocation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.fields["location"].queryset = location_list(user)


class MoveFilterForm(StockFilterForm):
    kind = forms.ChoiceField(label=_("Mouvement"), choices=[("", "—"), *MoveKind.choices], required=False)
    part = PartRefField(label=_("Pièce"), required=False)


class MoveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mouvement"), choices=MANUAL_KINDS)
    part = PartRefField(label=_("Pièce (référence ou code interne)"))
    location = forms.ModelChoiceField(label=_("Emplacement"), queryset=StockLocation.objects.none())
    quantity = forms.CharField(label=_("Quantité"))
    reason = forms.CharField(label=_("Motif"), required=False, max_length=255)
    case_number = forms.CharField(
        label=_("N° de dossier"),
        required=False,
        max_length=40,
        help_text=_("Pour une consommation ou un retour."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["location"].queryset = location_list(user)

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        from atelier.repairs.models import RepairCase

        sites = Site.objects.visible_to(self.user)
        case = RepairCase.objects.filter(number__iexact=number, site__in=sites).first()
        if case is None:
            raise forms.ValidationError(_("Aucun dossier n° %(n)s sur vos sites.") % {"n": number})
        return case


class TransferForm(forms.Form):
    part = PartRefField(label=_("Pièce (référence ou code interne)"))
    source = forms.ModelChoiceField(label=_("De"), queryset=StockLocation.objects.none())
    destination = forms.ModelChoiceField(label=_("Vers"), queryset=StockLocation.objects.none())
    quantity = forms.CharField(label=_("Quantité"))
    reason = forms.CharField(label=_("Motif"), required=False, max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = location_list(user)
        # Transfers between sites: any active location of the user's sites (a chain manager's: every site);
        # never another site's shelves or vans (nor its technicians' names).
        self.fields["destination"].queryset = (
            StockLocation.objects.visible_to(user).filter(is_active=True).select_related("site")
        )


class PartForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site (codification)"), queryset=Site.objects.none())
    reference = forms.CharField(label=_("Référence fabricant"), max_length=60)
    designation = forms.CharField(label=_("Désignation"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de pièce"), choices=PartKind.choices)
    family = forms.ChoiceField(
        label=_("Famille"), choices=[("", "—"), *ProductFamily.choices], required=False
    )
    brand = forms.CharField(label=_("Marque"), max_length=80, required=False)
    condition = forms.ChoiceField(label=_("État"), choices=PartCondition.choices)
    grade = forms.ChoiceField(
        label=_("Grade (occasion)"), choices=[("", "—"), *UsedGrade.choices], required=False
    )
    compatible_brands = forms.CharField(label=_("Marques compatibles"), max_length=255, required=False)
    compatible_models = forms.CharField(
        label=_("Modèles compatibles"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    purchase_price_ht = forms.DecimalField(
        label=_("Prix d'achat HT (€)"), min_value=0, decimal_places=2, required=False
    )
    price_ht = forms.DecimalField(label=_("Prix de vente HT (€)"), min_value=0, decimal_places=2)
    vat_kind = forms.ChoiceField(label=_("TVA"), choices=[])
    equivalent_refs = forms.CharField(
        label=_("Références équivalentes"), required=False, help_text=_("Séparées par des virgules.")
    )

    def __init__(self, *args, user, **kwargs):
        from atelier.core.choices import VatKind

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.fields["vat_kind"].choices = VatKind.choices

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        refs = [r for r in (data.pop("equivalent_refs") or "").split(",") if r.strip()]
        data["other_references"] = [(r, "", True) for r in refs]
        return data


class AnomalyForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    description = forms.CharField(label=_("Anomalie constatée"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)


class SupplierLinkForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Fournisseur"), queryset=Supplier.objects.filter(is_active=True)
    )
    supplier_ref = forms.CharField(label=_("Référence fournisseur"), max_length=60, required=False)
    price_ht = forms.DecimalField(label=_("Prix d'achat HT (€)"), min_value=0, decimal_places=2)
    lead_time_days = forms.IntegerField(label=_("Délai (jours)"), min_value=0, max_value=365, initial=0)


class PartSearchForm(forms.Form):
    q = SearchField(label=_("Recherche"))
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Actives")), *PartStatus.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Tous")), *PartKind.choices], required=False)
    condition = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *PartCondition.choices], required=False
    )


class PartDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Valider")), ("refuse", _("Refuser"))])


class AnomalyResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Suite donnée"), max_length=2000)


class SupplierChoiceForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Fournisseur"), queryset=Supplier.objects.filter(is_active=True)
    )


class InventoryOpenForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    location = forms.ModelChoiceField(
        label=_("Emplacement"),
        queryset=StockLocation.objects.none(),
        required=False,
        help_text=_("Vide : tout le site."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.fields["location"].queryset = location_list(user)


class InventoryAddForm(forms.Form):
    part = PartRefField(label=_("Pièce trouvée"))
    location = forms.ModelChoiceField(label=_("Emplacement"), queryset=StockLocation.objects.none())
    counted = forms.CharField(label=_("Quantité comptée"))

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        qs = StockLocation.objects.filter(site=count.site)
        self.fields["location"].queryset = qs.filter(pk=count.location_id) if count.location_id else qs


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Contenu"),
        choices=ImportKind.choices,
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    file = forms.FileField(label=_("Fichier CSV ou Excel (.xlsx)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)


# ---------------------------------------------------------------- action forms (core.actions.Action)


class OrderLineForm(forms.Form):
    """A line of the repair order (optional: every line) and a quantity (optional: what it still needs)."""

    line = forms.ModelChoiceField(label=_("Pièce de l'ordre"), queryset=None, required=False)
    quantity = forms.CharField(label=_("Quantité"), required=False, max_length=20)
    line_required = False

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.parts.select_related("part", "order__case__site")
        self.fields["line"].required = self.line_required


class ConsumeForm(OrderLineForm):
    line_required = True


class ReservationCancelForm(forms.Form):
    reservation = forms.ModelChoiceField(label=_("Réservation"), queryset=None)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reservation"].queryset = Reservation.objects.filter(
            order_part__order=order
        ).select_related("location__site")


class ReceiveForm(forms.Form):
    """Where the received parts go; the quantities come as recu-<line id> (checked by the service)."""

    location = forms.ModelChoiceField(
        label=_("Ranger dans"),
        queryset=StockLocation.objects.none(),
        error_messages={"required": _("Choisissez l'emplacement où ranger les pièces reçues.")},
    )

    def __init__(self, *args, order, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = location_list(user, site=order.site)

    def service_kwargs(self) -> dict:
        quantities = {
            key.removeprefix("recu-"): value
            for key, value in self.data.items()
            if key.startswith("recu-") and key.removeprefix("recu-").isdigit()
        }
        return {"location": self.cleaned_data["location"], "quantities": quantities}


class ToOrderForm(SupplierChoiceForm):
    """The supplier and the quantities typed on the parts-to-order page (qty-<part id>)."""

    def service_kwargs(self) -> dict:
        wanted = {
            as_id(key.removeprefix("qty-")): value.strip()
            for key, value in self.data.items()
            if key.startswith("qty-")
            and as_id(key.removeprefix("qty-")) is not None
            and value.strip() not in ("", "0")
        }
        parts = Part.objects.in_bulk(list(wanted))
        lines = [(parts[pk], qty) for pk, qty in wanted.items() if pk in parts]
        return {"supplier": self.cleaned_data["supplier"], "lines": lines}


class InventoryCountsForm(forms.Form):
    """The counted quantities (compte-<line id>), saved or saved and validated."""

    action = forms.ChoiceField(choices=[("save", _("Enregistrer")), ("validate", _("Valider"))])

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        counted = {
            key.removeprefix("compte-"): value.strip()
            for key, value in self.data.items()
            if key.startswith("compte-") and key.removeprefix("compte-").isdigit() and value.strip()
        }
        return {"counted": counted, "validate": self.cleaned_data["action"] == "validate"}


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)
    skip_bad = forms.BooleanField(required=False)
