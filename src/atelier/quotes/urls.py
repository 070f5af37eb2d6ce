from django.urls import path

from atelier.quotes import views

app_name = "quotes"
urlpatterns = [
    path("dossier/<int:case_pk>/solution/", views.solution_create, name="solution_create"),
    path("solution/<int:solution_pk>/devis/", views.quote_create, name="create"),
    path("<int:pk>/", views.quote_detail, name="detail"),
    path("<int:pk>/pdf/", views.quote_pdf, name="pdf"),
    path("<int:pk>/action/<slug:action>/", views.quote_action, name="action"),
    path("ligne/<int:pk>/retirer/", views.line_remove, name="line_remove"),
    path("ordre/<int:pk>/", views.order_detail, name="order"),
    path("ordre/<int:pk>/pdf/", views.order_pdf, name="order_pdf"),
]
