from django.urls import path

from atelier.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("nouvelle/", views.procedure_create, name="create"),
    path("<int:pk>/", views.procedure_detail, name="detail"),
    path("<int:pk>/nouvelle-version/", views.procedure_edit, name="edit"),
    path("dossier/<int:case_pk>/suivre/<int:procedure_pk>/", views.run_start, name="run_start"),
    path("dossier/<int:case_pk>/non-conformite/", views.non_conformity_report, name="non_conformity"),
    path("suivi/<int:pk>/", views.run_detail, name="run"),
    path("suivi/<int:pk>/etape/<int:step_pk>/", views.step_record, name="step"),
    path("non-conformites/", views.non_conformity_list, name="non_conformities"),
    path("non-conformites/<int:pk>/vue/", views.non_conformity_seen, name="non_conformity_seen"),
]
