"""Forms of deliberation and results: their choices are the session's candidates and blocs only, so a forged value
is a French error on the field, never another session's object."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.certification.models import Bloc, Candidate, ResultKind
from atelier.core.signature import SignatureField


class DeliberationForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidat"), queryset=Candidate.objects.none())
    bloc = forms.ModelChoiceField(label=_("Bloc"), queryset=Bloc.objects.none())
    comment = forms.CharField(
        label=_("Commentaire du jury"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = session.candidates.all()
        self.fields["bloc"].queryset = Bloc.objects.filter(epreuves__sessions=session).distinct()


class AbsenceForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidat"), queryset=Candidate.objects.none())
    kind = forms.ChoiceField(
        label=_("Le candidat est"),
        choices=[(ResultKind.ABSENT, _("Absent")), (ResultKind.EXCUSE, _("Excusé"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Motif ou justificatif"), max_length=1000)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = session.candidates.all()


class PvSignForm(forms.Form):
    signature = SignatureField(
        label=_("Votre signature"),
        required=False,  # the service says it is missing, in the words of a juror
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)


class VerifyForm(forms.Form):
    numero = forms.CharField(label=_("Numéro du certificat"), max_length=40)
    code = forms.CharField(label=_("Code de vérification"), max_length=12)
