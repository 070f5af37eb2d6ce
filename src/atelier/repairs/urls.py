from django.urls import path

app_name = "repairs"
urlpatterns: list = []
