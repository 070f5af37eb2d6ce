"""Serializers of the certification API (the référentiel's shape is the one issue 19 states)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from atelier.certification.choices import CandidateStatus, OrganisationKind
from atelier.certification.models import Candidate, CertificationSession, Draw, Organisation
from atelier.certification.rules import add_months, family_for_seed


class ReferentielCompetenceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    criteria = serializers.ListField(child=serializers.CharField())


class ReferentielBlocSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    competences = ReferentielCompetenceSerializer(many=True)


class EpreuvePartSerializer(serializers.Serializer):
    label = serializers.CharField()
    minutes = serializers.IntegerField()


class ReferentielEpreuveSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    bloc = serializers.CharField()
    title = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    parts = EpreuvePartSerializer(many=True)
    draw_families = serializers.ListField(child=serializers.CharField())
    competences = serializers.ListField(child=serializers.CharField())


class ReferentielSerializer(serializers.Serializer):
    version = serializers.CharField()
    blocs = ReferentielBlocSerializer(many=True)
    epreuves = ReferentielEpreuveSerializer(many=True)


class OrganisationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "site", "kind", "name", "siret", "city"]
        read_only_fields = fields


class OrganisationCreateSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    name = serializers.CharField(max_length=200)
    siret = serializers.CharField(max_length=14, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate; e-mail, phone and birth date are null unless the reader belongs to the candidate's
    organisation or company."""

    status = serializers.ChoiceField(choices=CandidateStatus.choices)
    referentiel = serializers.CharField(source="referentiel.version", read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()
    e3_topic_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id", "organisation", "company", "referentiel", "status", "first_name", "last_name", "email",
            "phone", "birth_date", "course_start", "tutor", "trainer", "e3_topic", "e3_topic_on",
            "e3_topic_deadline", "e3_derogation", "e3_derogation_on",
        ]  # fmt: skip
        read_only_fields = fields

    def _personal(self, obj) -> bool:
        """Read once per response: the organisations the reader acts for (no query per candidate)."""
        if "_certification_orgs" not in self.context:
            user = self.context["request"].user
            self.context["_certification_orgs"] = set(
                user.certification_organisations.values_list("pk", flat=True)
            )
        return bool({obj.organisation_id, obj.company_id} & self.context["_certification_orgs"])

    def get_email(self, obj) -> str | None:
        return obj.email if self._personal(obj) else None

    def get_phone(self, obj) -> str | None:
        return obj.phone if self._personal(obj) else None

    def get_birth_date(self, obj) -> str | None:
        return obj.birth_date.isoformat() if self._personal(obj) and obj.birth_date else None

    def get_e3_topic_deadline(self, obj) -> str | None:
        from atelier.certification.services import e3_topic_months

        months = self.context.setdefault("_certification_months", {})
        if obj.referentiel_id not in months:
            months[obj.referentiel_id] = e3_topic_months(obj.referentiel_id)
        if months[obj.referentiel_id] is None:
            return None
        return add_months(obj.course_start, months[obj.referentiel_id]).isoformat()


class CandidateCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    company = serializers.IntegerField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CandidateStatus.choices)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    course_start = serializers.DateField()
    tutor = serializers.IntegerField(required=False, allow_null=True)
    trainer = serializers.IntegerField(required=False, allow_null=True)


class TopicSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=300)


class DerogationSerializer(serializers.Serializer):
    reason = serializers.CharField()


class JurorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id")
    name = serializers.SerializerMethodField()
    employer = serializers.IntegerField(source="employer_id", allow_null=True, required=False)

    def get_name(self, obj) -> str:
        return obj.user.get_full_name() or obj.user.username


class DrawSerializer(serializers.ModelSerializer):
    epreuve = serializers.IntegerField(source="epreuve.number")
    drawn_by = serializers.SerializerMethodField()
    present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    replayed_family = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = [
            "id", "session", "epreuve", "candidate", "families", "seed", "family", "replayed_family",
            "drawn_by", "drawn_at", "present", "replaces", "reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_drawn_by(self, obj) -> str:
        return obj.drawn_by.get_full_name() or obj.drawn_by.username

    def get_replayed_family(self, obj) -> str:
        """The family the seed draws when replayed (equal to `family` for a fair draw)."""
        return family_for_seed(obj.seed, list(obj.families))


class DrawCreateSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField(help_text=_("Numéro de l'épreuve (1 ou 2)."))
    candidate = serializers.IntegerField()
    present = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SessionSerializer(serializers.ModelSerializer):
    referentiel = serializers.CharField(source="referentiel.version", read_only=True)
    epreuves = serializers.SerializerMethodField()
    candidates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    jurors = JurorSerializer(many=True, read_only=True)

    class Meta:
        model = CertificationSession
        fields = [
            "id", "site", "referentiel", "title", "place", "starts_on", "ends_on", "epreuves", "candidates",
            "jurors",
        ]  # fmt: skip
        read_only_fields = fields

    def get_epreuves(self, obj) -> list[int]:
        return sorted(e.number for e in obj.epreuves.all())


class SessionCreateSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    epreuves = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=5), min_length=1)


class SessionCandidateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()


class SessionJurorCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    employer = serializers.IntegerField(required=False, allow_null=True)


class GridMarkInSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    acquired = serializers.BooleanField(allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class GridSubmitSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField(min_value=1, max_value=5)
    candidate = serializers.IntegerField()
    marks = GridMarkInSerializer(many=True)


class DecisionCreateSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField(min_value=1, max_value=5)
    candidate = serializers.IntegerField()
    criterion = serializers.IntegerField()
    acquired = serializers.BooleanField()
    reason = serializers.CharField(max_length=1000)


class GridMarkSerializer(serializers.Serializer):
    evaluator = serializers.CharField()
    acquired = serializers.BooleanField()
    comment = serializers.CharField()


class GridDecisionSerializer(serializers.Serializer):
    acquired = serializers.BooleanField()
    reason = serializers.CharField()
    decided_by = serializers.CharField()


class GridRowSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    competence = serializers.CharField()
    text = serializers.CharField()
    marks = GridMarkSerializer(many=True)
    decision = GridDecisionSerializer(allow_null=True)
    result = serializers.ChoiceField(
        choices=[("acquis", "acquis"), ("non_acquis", "non acquis"), ("a_decider", "à décider")],
        allow_null=True,
    )


class GridSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField()
    candidate = serializers.IntegerField()
    evaluators = serializers.ListField(child=serializers.CharField())
    complete = serializers.BooleanField()
    rows = GridRowSerializer(many=True)


def grid_as_api(epreuve, candidate, data: dict) -> dict:
    def who(user) -> str:
        return user.get_full_name() or user.username

    names = {e.pk: who(e.evaluator) for e in data["evaluations"]}
    return {
        "epreuve": epreuve.number,
        "candidate": candidate.pk,
        "evaluators": list(names.values()),
        "complete": data["complete"],
        "rows": [
            {
                "criterion": row["criterion"].pk,
                "competence": row["criterion"].competence.code,
                "text": row["criterion"].text,
                "marks": [
                    {"evaluator": names[m.evaluation_id], "acquired": m.acquired, "comment": m.comment}
                    for m in row["marks"]
                    if m is not None
                ],
                "decision": None
                if row["decision"] is None
                else {
                    "acquired": row["decision"].acquired,
                    "reason": row["decision"].reason,
                    "decided_by": who(row["decision"].decided_by),
                },
                "result": row["result"],
            }
            for row in data["rows"]
        ],
    }
