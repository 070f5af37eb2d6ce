from django.urls import path

from atelier.photos import views

app_name = "photos"
urlpatterns = [
    path("dossiers/<int:pk>/", views.case_photos, name="case"),
    path("reclamations/<int:pk>/", views.claim_photos, name="claim"),
    path("<int:pk>/", views.photo_detail, name="detail"),
    path("<int:pk>/image.jpg", views.photo_image, name="image"),
    path("<int:pk>/vignette.jpg", views.photo_thumbnail, name="thumbnail"),
]
