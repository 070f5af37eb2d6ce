from django.contrib import admin

from atelier.improvement.models import ActionEvent, ImprovementAction, SurveyAnswer


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(admin.ModelAdmin):
    list_display = ["case", "site", "recommendation", "satisfaction", "answered_at", "follow_up"]
    list_filter = ["site", "follow_up"]
    raw_id_fields = ["case"]


class ActionEventInline(admin.TabularInline):
    model = ActionEvent
    extra = 0
    readonly_fields = ["at", "actor", "from_status", "to_status", "label", "note"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "site", "status", "owner", "due_on"]
    list_filter = ["site", "status"]
    raw_id_fields = ["cases", "claims", "complaints", "disputes"]
    inlines = [ActionEventInline]
