import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model


def test_login_logout_and_password_change(client, accueil):
    response = client.post("/connexion/", {"username": "accueil", "password": "mauvais"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides." in response.content.decode()
    response = client.post("/connexion/", {"username": "accueil", "password": "motdepasse-test"})
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.post(
        "/mot-de-passe/",
        {"old_password": "motdepasse-test", "new_password1": "court", "new_password2": "court"},
    )
    assert "Ce mot de passe est trop court." in response.content.decode()
    response = client.post(
        "/mot-de-passe/",
        {
            "old_password": "motdepasse-test",
            "new_password1": "Lave-linge-2026!",
            "new_password2": "Lave-linge-2026!",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe/modifie/"
    assert get_user_model().objects.get(username="accueil").check_password("Lave-linge-2026!")
    assert client.post("/deconnexion/").status_code == 302
    assert client.get("/").status_code == 302


def test_logout_needs_post_and_csrf(accueil):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(accueil)
    assert strict.post("/deconnexion/").status_code == 403
    assert strict.get("/deconnexion/").status_code == 405


def test_admin_is_for_staff_only(client, accueil, django_user_model):
    client.force_login(accueil)
    assert client.get("/admin/core/site/").status_code == 302
    boss = django_user_model.objects.create_superuser("patron", "patron@example.fr", "Un-mot-de-passe-long-1")
    client.force_login(boss)
    assert client.get("/admin/core/site/").status_code == 200
    assert client.get("/admin/core/user/").status_code == 200


def test_pages_refuse_framing(client, db):
    assert client.get("/connexion/")["X-Frame-Options"] == "DENY"


def test_console_script_runs_management_commands():
    script = Path(sys.executable).parent / "atelier"  # installed by pip from [project.scripts]
    result = subprocess.run(
        [str(script), "check", "--deploy", "--fail-level", "CRITICAL"],
        capture_output=True,
        text=True,
        env={"ATELIER_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified" in result.stdout + result.stderr
