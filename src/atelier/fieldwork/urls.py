from django.urls import path

from atelier.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("outils/", views.tool_list, name="tools"),
    path("outils/nouveau/", views.tool_create, name="tool_create"),
    path("outils/<int:pk>/", views.tool_detail, name="tool_detail"),
    path("outils/<int:pk>/action/<slug:action>/", views.tool_action, name="tool_action"),
    path("incidents/<int:pk>/vu/", views.incident_acknowledge, name="incident_ack"),
    path("regles/", views.site_rules, name="site_rules"),
    path("epi/", views.ppe_check, name="ppe"),
    path("dossier/<int:case_pk>/installation/", views.installation_check, name="installation"),
    path("dossier/<int:case_pk>/reparation/", views.repair_record, name="repair"),
    path("dossier/<int:case_pk>/essais/", views.safety_test, name="safety"),
    path("dossier/<int:case_pk>/mise-en-service/", views.commissioning, name="commissioning"),
    path("ordre/<int:order_pk>/outillage/", views.required_tools, name="required_tools"),
]
