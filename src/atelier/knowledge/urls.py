from django.urls import path

from atelier.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("symptomes/nouveau/", views.symptom_edit, name="symptom_create"),
    path("symptomes/<int:pk>/", views.symptom_detail, name="symptom_detail"),
    path("symptomes/<int:pk>/modifier/", views.symptom_edit, name="symptom_update"),
    path("codes/nouveau/", views.error_code_edit, name="error_code_create"),
    path("codes/<int:pk>/", views.error_code_detail, name="error_code_detail"),
    path("codes/<int:pk>/modifier/", views.error_code_edit, name="error_code_update"),
    path("causes/nouvelle/", views.cause_edit, name="cause_create"),
    path("causes/<int:pk>/", views.cause_detail, name="cause_detail"),
    path("causes/<int:pk>/modifier/", views.cause_edit, name="cause_update"),
    path("controles/nouveau/", views.check_edit, name="check_create"),
    path("controles/<int:pk>/modifier/", views.check_edit, name="check_update"),
    path("documents/nouveau/", views.document_edit, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/modifier/", views.document_edit, name="document_update"),
    path("documents/<int:pk>/fichier/", views.document_file, name="document_file"),
    path("consignes/nouvelle/", views.safety_edit, name="safety_create"),
    path("consignes/<int:pk>/modifier/", views.safety_edit, name="safety_update"),
]
