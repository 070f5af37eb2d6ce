from django.contrib import admin

from atelier.operations.models import Heartbeat, JobRun, JobSettings


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "site", "period", "trigger", "started_at", "finished_at", "outcome"]
    list_filter = ["job", "outcome", "trigger"]
    readonly_fields = [f.name for f in JobRun._meta.fields]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "at", "host", "pid"]


@admin.register(JobSettings)
class JobSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "payment_reminder_every_days", "payment_reminder_max", "auto_close_after_days"]
