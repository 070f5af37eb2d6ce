"""The SAV manager edits the question sets and the pre-diagnosis checklists here (menu « Paramètres »)."""

from django.contrib import admin

from atelier.diagnostics.models import ChecklistItem, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "family", "kind", "parent", "parent_value", "position", "is_active")
    list_filter = ("family", "kind", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("text", "key")
    autocomplete_fields = ("parent",)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("title", "family", "position", "is_active")
    list_filter = ("family", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("title",)
