from django.urls import path

from atelier.customers import views

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
]
