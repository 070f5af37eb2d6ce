"""Forms of the dossier screens: intake, list filters, one step of the workflow, note, assignment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import Role
from atelier.core.forms import DateInput, DateTimeInput
from atelier.core.selectors import site_users_with_role, technicians_for
from atelier.customers.choices import ProductFamily
from atelier.repairs import workflow
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase


class CaseOpenForm(forms.ModelForm):
    """Intake at the counter or on the phone: the customer's words, verbatim, and what was left with it."""

    class Meta:
        model = RepairCase
        fields = ["channel", "location", "customer_words", "accessories", "visible_condition"]
        widgets = {
            "channel": forms.RadioSelect,
            "location": forms.RadioSelect,
            "customer_words": forms.Textarea(attrs={"rows": 4, "placeholder": _("« Il ne vidange plus… »")}),
        }


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("N° de dossier, nom, téléphone, code postal, n° de série…"),
                "type": "search",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("ouverts", _("Tous les dossiers ouverts")),
            ("a_rendre", _("À rendre (prêts, refusés, non réparables)")),
            ("en_cours", _("En cours à l'atelier")),
            *CaseStatus.choices,
        ],
    )
    site = forms.ModelChoiceField(label=_("Site"), required=False, queryset=None, empty_label=_("Tous"))
    location = forms.ChoiceField(
        label=_("Lieu"), required=False, choices=[("", _("Tous")), *WorkLocation.choices]
    )
    family = forms.ChoiceField(
        label=_("Famille"), required=False, choices=[("", _("Toutes")), *ProductFamily.choices]
    )
    technician = forms.ModelChoiceField(
        label=_("Technicien"), required=False, queryset=None, empty_label=_("Tous")
    )
    date_from = forms.DateField(label=_("Reçu du"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("au"), required=False, widget=DateInput())
    # set by the home page's links (« prêts depuis 3 jours », « acceptés sans technicien »), kept by the list
    changed_before = forms.DateField(label=_("Dans cet état avant le"), required=False, widget=DateInput())
    unassigned = forms.BooleanField(label=_("Sans technicien"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians_for(user)
        sites = user.visible_sites().order_by("code")
        self.fields["site"].queryset = sites
        self.several_sites = len(user.visible_site_ids) > 1

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return data


class StepForm(forms.Form):
    """One workflow step: a note, and for a home visit the technician and the date."""

    note = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    technician = forms.ModelChoiceField(label=_("Technicien"), queryset=None, required=False)
    planned_for = forms.DateTimeField(
        label=_("Date et heure"),
        required=False,
        widget=DateTimeInput(),
    )

    def __init__(self, *args, case: RepairCase, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["note"].label = step.note_label or _("Commentaire")
        self.fields["note"].required = step.note_required
        if step.needs_schedule:
            self.fields["technician"].queryset = site_users_with_role(sites=[case.site], role=Role.TECHNICIEN)
            self.fields["technician"].required = True
            self.fields["planned_for"].required = True
            self.fields["technician"].initial = case.technician_id
        else:
            del self.fields["technician"]
            del self.fields["planned_for"]

    def clean(self):
        data = super().clean()
        if reason := workflow.driven_reason(self.step):  # the quote's steps are taken from the quote
            raise forms.ValidationError(reason, code="driven")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ajouter une note"), widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    technician = forms.ModelChoiceField(
        label=_("Technicien"), queryset=None, required=False, empty_label=_("— aucun —")
    )

    def __init__(self, *args, case: RepairCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = site_users_with_role(sites=[case.site], role=Role.TECHNICIEN)
        self.fields["technician"].initial = case.technician_id
