"""Supplier returns: the list with the form to record a defective new part, and one return with its steps
(sent, credit received, refused)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.repairs.models import RepairCase
from atelier.stock.choices import SupplierReturnState
from atelier.stock.models import Part, Supplier, SupplierReturn
from atelier.stock.services.returns import supplier_return_open, supplier_return_transition
from atelier.stock.views.common import render_page

PAGE_SIZE = 50


class SupplierReturnForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    supplier = forms.ModelChoiceField(
        label=_("Fournisseur"), queryset=Supplier.objects.filter(is_active=True)
    )
    part = forms.ModelChoiceField(label=_("Pièce"), queryset=Part.objects.order_by("reference"))
    quantity = forms.CharField(label=_("Quantité"), initial="1", max_length=12)
    serials = forms.CharField(label=_("N° de série de la pièce"), max_length=255)
    fault = forms.CharField(
        label=_("Défaut constaté"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    expected_credit = forms.CharField(label=_("Avoir attendu HT (€)"), max_length=20)
    case = forms.CharField(label=_("N° du dossier (facultatif)"), max_length=30, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["site"].queryset = Site.objects.visible_to(user).order_by("code")

    def clean_case(self):
        number = self.cleaned_data.get("case", "").strip()
        if not number:
            return None
        case = RepairCase.objects.visible_to(self.user).filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("Aucun dossier n° %(n)s dans vos sites.") % {"n": number})
        return case


class ReturnStepForm(forms.Form):
    reference = forms.CharField(label=_("N° (retour ou avoir du fournisseur)"), max_length=80, required=False)
    amount = forms.CharField(label=_("Avoir reçu HT (€)"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


OPEN = Action(
    SupplierReturnForm,
    supplier_return_open,
    _("Retour fournisseur enregistré."),
    target=None,
    form_kwargs=lambda request, obj: {"user": request.user},
    next=lambda request, obj, result: redirect("stock:return", pk=result.pk),
)


def _step(action: str):
    def service(*, returned, actor, reference="", amount="", reason=""):
        return supplier_return_transition(
            returned=returned, actor=actor, action=action, reference=reference, amount=amount, reason=reason
        )

    return service


STEPS = {
    name: Action(ReturnStepForm, _step(name), message, target="returned", form_name="step")
    for name, message in (
        ("send", _("Retour envoyé au fournisseur.")),
        ("credit", _("Avoir du fournisseur enregistré.")),
        ("refuse", _("Refus du fournisseur enregistré.")),
    )
}


def _list_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    returns = SupplierReturn.objects.visible_to(request.user).select_related(
        "site", "supplier", "part", "case"
    )
    state = request.GET.get("etat", "")
    if state in SupplierReturnState.values:
        returns = returns.filter(state=state)
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "stock/return_list.html",
        {
            "page_obj": page,
            "tab": "returns",
            "states": SupplierReturnState.choices,
            "state": state,
            "can_manage": may(request.user, "stock.manage"),
            "form": failed_form or SupplierReturnForm(user=request.user),
        },
        status=status,
    )


@step_required("stock.view")
def supplier_return_list(request):
    if request.method == "POST":
        return run_action(
            request, None, "open", {"open": OPEN}, show_again=_list_page, done=lambda obj: "stock:returns"
        )
    return _list_page(request)


def _detail_page(request, returned, *, failed=None, failed_form=None, status=200):
    return render_page(
        request,
        "stock/return_detail.html",
        {
            "returned": returned,
            "tab": "returns",
            "step_form": failed_form or ReturnStepForm(auto_id="id_step_%s"),
            "can_manage": may(request.user, "stock.manage", returned.site_id),
            "S": SupplierReturnState,
        },
        status=status,
    )


@step_required("stock.view")
def supplier_return_detail(request, pk):
    returned = visible_or_404(
        SupplierReturn.objects.select_related("site", "supplier", "part", "case", "created_by", "closed_by"),
        request.user,
        pk=pk,
    )
    if request.method == "POST":
        return run_action(
            request,
            returned,
            request.POST.get("action", ""),
            STEPS,
            show_again=_detail_page,
            done=lambda obj: redirect("stock:return", pk=obj.pk),
        )
    return _detail_page(request, returned)
