from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from atelier.core import accounts, rights
from atelier.repairs import views as repairs_views

urlpatterns = [
    path("", repairs_views.home, name="home"),
    path("accueil/volets/", repairs_views.home_panels, name="home_panels"),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("parametres/droits/", rights.permissions, name="permissions"),
    path("mon-compte/jetons/", accounts.api_tokens, name="api_tokens"),
    path("mon-compte/jetons/<int:pk>/revoquer/", accounts.api_token_revoke, name="api_token_revoke"),
]
