from django.urls import path

from atelier.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reseau/", views.network, name="network"),
    path("export.csv", views.export_csv, name="export"),
]
