"""Forms of the stock screens: they read and check input; writes go through services via call_service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.customers.choices import ProductFamily
from atelier.stock.choices import MoveKind, PartCondition, PartKind, UsedGrade
from atelier.stock.models import Part, StockLocation, Supplier
from atelier.stock.selectors import location_list

MANUAL_KINDS = [
    (MoveKind.RECEPTION, _("Réception fournisseur (hors commande)")),
    (MoveKind.DEMONTAGE, _("Démontage (pièce récupérée)")),
    (MoveKind.RETOUR, _("Retour en stock")),
    (MoveKind.CONSOMMATION, _("Consommation sur dossier (sans réservation)")),
    (MoveKind.REBUT, _("Mise au rebut")),
]


class PartRefField(forms.CharField):
    """A part typed by its reference or internal code."""

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
        super().__init__(queryset=user.visible_sites(), **kwargs)


class LocationChoiceField(forms.ModelChoiceField):
    def __init__(self, *, user, **kwargs):
        super().__init__(queryset=location_list(user), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.site.code} · {obj.code} – {obj.name}"


class StockFilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    location = forms.ModelChoiceField(
        label=_("Emplacement"), queryset=StockLocation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = user.visible_sites()
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
        label=_("N° de dossier"), required=False, help_text=_("Pour une consommation ou un retour.")
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

        case = RepairCase.objects.filter(
            number__iexact=number, site_id__in=self.user.visible_site_ids
        ).first()
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
        # Transfers between sites: any active location of the chain can receive.
        self.fields["destination"].queryset = StockLocation.objects.filter(is_active=True).select_related(
            "site"
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
        self.fields["site"].queryset = user.visible_sites()
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
        self.fields["site"].queryset = user.visible_sites()


class SupplierLinkForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Fournisseur"), queryset=Supplier.objects.filter(is_active=True)
    )
    supplier_ref = forms.CharField(label=_("Référence fournisseur"), max_length=60, required=False)
    price_ht = forms.DecimalField(label=_("Prix d'achat HT (€)"), min_value=0, decimal_places=2)
    lead_time_days = forms.IntegerField(label=_("Délai (jours)"), min_value=0, max_value=365, initial=0)


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
        self.fields["site"].queryset = user.visible_sites()
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
        choices=[("catalogue", _("Catalogue des pièces")), ("stock", _("Stock (quantités comptées)"))],
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    file = forms.FileField(label=_("Fichier CSV ou Excel (.xlsx)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = user.visible_sites()
