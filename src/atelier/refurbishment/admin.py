from django.contrib import admin

from atelier.refurbishment.models import AbandonNoticeRule, TriageCheck


@admin.register(TriageCheck)
class TriageCheckAdmin(admin.ModelAdmin):
    list_display = ["family", "order", "label", "expected", "is_active"]
    list_filter = ["family", "is_active"]


@admin.register(AbandonNoticeRule)
class AbandonNoticeRuleAdmin(admin.ModelAdmin):
    list_display = ["site", "days", "valid_from", "legal_basis"]
