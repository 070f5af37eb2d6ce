from django.contrib import admin

from atelier.knowledge.models import (
    Cause,
    Check,
    ConfirmedCause,
    ErrorCode,
    SafetyWarning,
    Symptom,
    TechnicalDocument,
)


@admin.register(Symptom, Cause, Check, SafetyWarning, TechnicalDocument)
class ScopedAdmin(admin.ModelAdmin):
    list_filter = ["family"]
    search_fields = ["search_text"]


@admin.register(ErrorCode)
class ErrorCodeAdmin(admin.ModelAdmin):
    list_display = ["brand", "code", "family", "meaning"]
    list_filter = ["family", "brand"]


@admin.register(ConfirmedCause)
class ConfirmedCauseAdmin(admin.ModelAdmin):
    list_display = ["family", "brand", "cause_label", "source", "learned_at"]
    list_filter = ["family"]
