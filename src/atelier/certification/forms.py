"""Forms of certification: their choices are limited to what the user may see (their sites, the session's
candidates), so a forged value is a French error on the field, never another site's object."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.certification.choices import CandidateStatus, OrganisationKind
from atelier.certification.models import Candidate, Epreuve, Organisation
from atelier.core.access import sites_allowing
from atelier.core.forms import DateInput
from atelier.core.models import Site, User


def _person(user: User) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person(obj)


def _managed_sites(user):
    return Site.objects.filter(pk__in=sites_allowing(user, "certification.manage"))


class OrganisationForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Nom"), max_length=200)
    siret = forms.CharField(label=_("SIRET"), max_length=14, required=False)
    city = forms.CharField(label=_("Ville"), max_length=100, required=False)
    i_am_member = forms.BooleanField(
        label=_("J'agis pour cet organisme (je lis les données personnelles de ses candidats)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        sites = _managed_sites(user)
        self.fields["site"].queryset = sites
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["members"] = [self.user] if data.pop("i_am_member") else []
        return data


class CandidateForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisme de formation"), queryset=Organisation.objects.none()
    )
    company = forms.ModelChoiceField(
        label=_("Entreprise"), queryset=Organisation.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Statut"), choices=CandidateStatus.choices)
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput())
    course_start = forms.DateField(label=_("Début du parcours"), widget=DateInput())
    tutor = PersonChoiceField(label=_("Tuteur en entreprise"), queryset=User.objects.none(), required=False)
    trainer = PersonChoiceField(label=_("Formateur"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sites = sites_allowing(user, "certification.manage")
        organisations = Organisation.objects.visible_to(user).filter(site__in=sites)
        self.fields["organisation"].queryset = organisations.filter(kind=OrganisationKind.ORGANISME_FORMATION)
        self.fields["company"].queryset = organisations.filter(kind=OrganisationKind.ENTREPRISE)
        people = (
            User.objects.filter(sites__in=sites, is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["tutor"].queryset = people
        self.fields["trainer"].queryset = people


class TopicForm(forms.Form):
    topic = forms.CharField(label=_("Sujet (en lien avec le reconditionnement)"), max_length=300)


class DerogationForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la dérogation"), widget=forms.Textarea(attrs={"rows": 2}))


class SessionForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    place = forms.CharField(label=_("Lieu"), max_length=200)
    starts_on = forms.DateField(label=_("Du"), widget=DateInput())
    ends_on = forms.DateField(label=_("Au"), widget=DateInput())
    epreuves = forms.ModelMultipleChoiceField(
        label=_("Épreuves"), queryset=Epreuve.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, referentiel, **kwargs):
        super().__init__(*args, **kwargs)
        sites = _managed_sites(user)
        self.fields["site"].queryset = sites
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()
        epreuves = Epreuve.objects.filter(referentiel=referentiel)
        self.fields["epreuves"].queryset = epreuves
        self.fields["epreuves"].initial = list(epreuves)


class SessionCandidateForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidat"), queryset=Candidate.objects.none())

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = Candidate.objects.filter(organisation__site=session.site).exclude(
            sessions=session
        )


class SessionJurorForm(forms.Form):
    user = PersonChoiceField(label=_("Professionnel"), queryset=User.objects.none())
    employer = forms.ModelChoiceField(
        label=_("Son employeur"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Pour refuser qu'il juge un candidat de sa propre entreprise."),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(sites=session.site, is_active=True)
            .exclude(certification_juries__session=session)
            .order_by("last_name", "first_name")
        )
        self.fields["employer"].queryset = Organisation.objects.filter(
            site=session.site, kind=OrganisationKind.ENTREPRISE
        )


class DrawForm(forms.Form):
    epreuve = forms.ModelChoiceField(label=_("Épreuve"), queryset=Epreuve.objects.none())
    candidate = forms.ModelChoiceField(label=_("Candidat qui tire"), queryset=Candidate.objects.none())
    present = forms.ModelMultipleChoiceField(
        label=_("Candidats présents"),
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Motif d'un nouveau tirage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement pour refaire un tirage déjà fait : le motif est enregistré et affiché."),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        with_draw = [e.pk for e in session.epreuves.all() if e.draw_families]
        self.fields["epreuve"].queryset = session.epreuves.filter(pk__in=with_draw)
        candidates = session.candidates.all()
        self.fields["candidate"].queryset = candidates
        self.fields["present"].queryset = candidates


MARK_CHOICES = [("acquis", _("Acquis")), ("non_acquis", _("Non acquis"))]


class GridForm(forms.Form):
    """One radio pair and one comment per criterion (m_<id>, c_<id>); unmarked criteria are reported by the
    service in one French message, so the evaluator keeps everything typed."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"m_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text, choices=MARK_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[f"c_{criterion.pk}"] = forms.CharField(
                label=_("Commentaire"), required=False, max_length=1000
            )

    def rows(self):
        """(criterion, mark field, comment field) in the référentiel's order, for the template."""
        return [(c, self[f"m_{c.pk}"], self[f"c_{c.pk}"]) for c in self.criteria]

    def service_kwargs(self) -> dict:
        from atelier.certification.services_grids import GivenMark

        marks = []
        for c in self.criteria:
            value = self.cleaned_data.get(f"m_{c.pk}")
            acquired = None if not value else value == "acquis"
            marks.append(GivenMark(c.pk, acquired, self.cleaned_data.get(f"c_{c.pk}", "")))
        return {"marks": marks}


class DecisionForm(forms.Form):
    criterion = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    acquired = forms.ChoiceField(label=_("Décision du jury"), choices=MARK_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Motif"), max_length=1000)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        from atelier.certification.models import Criterion

        self.fields["criterion"].queryset = Criterion.objects.filter(pk__in=[c.pk for c in criteria])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "criterion": data["criterion"],
            "acquired": data["acquired"] == "acquis",
            "reason": data["reason"],
        }
