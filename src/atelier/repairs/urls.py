from django.urls import path

from atelier.repairs import views

app_name = "repairs"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nouveau/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/volet/<slug:key>/", views.case_section, name="section"),
    path("<int:pk>/etape/<slug:name>/", views.case_step, name="step"),
    path("<int:pk>/note/", views.case_note, name="note"),
    path("<int:pk>/technicien/", views.case_assign, name="assign"),
]
