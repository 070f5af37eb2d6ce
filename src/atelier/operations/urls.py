from django.urls import path

from atelier.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("lancer/<slug:name>/", views.launch, name="launch"),
]
