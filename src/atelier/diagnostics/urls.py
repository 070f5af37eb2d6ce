from django.urls import path

from atelier.diagnostics import views

app_name = "diagnostics"
urlpatterns = [
    path("dossiers/<int:case_pk>/questions/", views.questions, name="questions"),
    path("dossiers/<int:case_pk>/pre-diagnostic/", views.prediagnosis, name="prediagnosis"),
    path("dossiers/<int:case_pk>/pre-diagnostic/signature/", views.acknowledge, name="acknowledge"),
    path("dossiers/<int:case_pk>/pre-diagnostic/fiche.pdf", views.prediagnosis_pdf, name="prediagnosis_pdf"),
    path("dossiers/<int:case_pk>/diagnostic/", views.diagnosis, name="diagnosis"),
    path("dossiers/<int:case_pk>/diagnostic/mesures/", views.measurement_add, name="measurement_add"),
    path("dossiers/<int:case_pk>/diagnostic/sources/", views.source_add, name="source_add"),
    path("dossiers/<int:case_pk>/diagnostic/pieces/", views.part_add, name="part_add"),
    path(
        "dossiers/<int:case_pk>/diagnostic/pieces/<int:line_pk>/retirer/",
        views.part_remove,
        name="part_remove",
    ),
    path("dossiers/<int:case_pk>/diagnostic/devis/", views.hand_over, name="hand_over"),
]
