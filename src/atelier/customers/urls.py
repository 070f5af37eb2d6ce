from django.urls import path

from atelier.customers import views, views_privacy

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("nouveau/", views.customer_create, name="create"),
    path("doublons/", views.duplicates, name="duplicates"),
    path("communes/", views.communes, name="communes"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/modifier/", views.customer_update, name="update"),
    path("<int:pk>/appareils/nouveau/", views.appliance_create, name="appliance_create"),
    path("appareils/<int:pk>/modifier/", views.appliance_update, name="appliance_update"),
    path("<int:pk>/donnees/", views_privacy.customer_privacy, name="privacy"),
    path("<int:pk>/donnees/exporter/", views_privacy.customer_export, name="export"),
    path("<int:pk>/donnees/effacer/", views_privacy.customer_erase, name="erase"),
    path("<int:pk>/conserver/", views_privacy.customer_keep, name="keep"),
    path("conservation/", views_privacy.retention_preview, name="retention"),
    path("conservation/lancer/", views_privacy.retention_run, name="retention_run"),
    path("conservation/duree/", views_privacy.retention_years, name="retention_years"),
]
