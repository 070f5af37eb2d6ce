from django.urls import path

from atelier.certification import views, views_preparation, views_results

app_name = "certification"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/grilles/", views.grid, name="grid"),
    path("candidats/", views.candidate_list, name="candidates"),
    path("candidats/<int:pk>/", views.candidate_detail, name="candidate"),
    path("organismes/", views.organisation_list, name="organisations"),
    path("referentiel/", views.referentiel, name="referentiel"),
    # deliberation and results (views_results.py)
    path("sessions/<int:pk>/resultats/", views_results.results, name="results"),
    path("sessions/<int:pk>/proces-verbal.pdf", views_results.pv_pdf, name="pv_pdf"),
    path("sessions/<int:pk>/resultats.csv", views_results.results_csv, name="results_csv"),
    path("certificats/", views_results.certificates, name="certificates"),
    path("certificats/<int:pk>/pdf/", views_results.certificate_pdf, name="certificate_pdf"),
    path("certificats/<int:pk>/badge.json", views_results.certificate_badge, name="certificate_badge"),
    # preparation (issue 19, point 6)
    path("candidats/<int:pk>/progression/", views_preparation.candidate_progress, name="progress"),
    path("sessions/<int:pk>/blanche/", views_preparation.session_mock, name="session_mock"),
    path("jeux-de-role/", views_preparation.scenarios, name="scenarios"),
    path("jeux-de-role/<int:pk>/", views_preparation.scenario_detail, name="scenario"),
]
