"""The journal over the API, for the accountant and the SAV manager of the site: its entries (read-only, as
signed) and the verification of the user's sites' chains and documents."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from atelier.billing.models import JournalEntry
from atelier.billing.verify import journal_verify
from atelier.core.access import may


class JournalEntrySerializer(serializers.ModelSerializer):
    site = serializers.SlugRelatedField(slug_field="code", read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "site",
            "seq",
            "at",
            "kind",
            "reference",
            "document_id",
            "amount",
            "content",
            "digest",
            "prev_hash",
            "hash",
            "key_id",
            "signature",
        ]
        read_only_fields = fields

    def get_content(self, entry) -> dict:
        return json.loads(entry.payload)


VerdictSerializer = inline_serializer(
    "JournalVerdict",
    {
        "ok": serializers.BooleanField(),
        "entries": serializers.IntegerField(),
        "message": serializers.CharField(),
        "problems": serializers.ListField(child=serializers.CharField()),
    },
)


class JournalEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JournalEntrySerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may(request.user, "billing.journal"):
            raise PermissionDenied(_("Votre rôle ne permet pas de consulter le journal."))

    def get_queryset(self):
        entries = JournalEntry.objects.visible_to(self.request.user).select_related("site")
        site = self.request.query_params.get("site")
        return (entries.filter(site__code=site) if site else entries).order_by("site__code", "seq")

    @extend_schema(
        parameters=[OpenApiParameter("site", str, description="code du site (tous vos sites par défaut)")],
        responses=VerdictSerializer,
    )
    @action(detail=False)
    def verify(self, request):
        """Every chain, signature and document of the user's sites (or of one of them)."""
        sites = list(request.user.visible_sites())
        code = request.query_params.get("site")
        if code:
            sites = [s for s in sites if s.code == code]
            if not sites:
                raise NotFound(_("Site inconnu : %(c)s.") % {"c": code[:20]})
        verdict = journal_verify(sites=sites)
        return Response(
            {
                "ok": verdict.ok,
                "entries": verdict.count,
                "message": verdict.message,
                "problems": verdict.problems,
            }
        )
