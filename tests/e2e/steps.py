"""What a person does in every journey: log in and out (users made by UserFactory, password below)."""

from playwright.sync_api import Page, expect

PASSWORD = "motdepasse-test"


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Bonjour")


def logout(page: Page) -> None:
    page.click("text=Se déconnecter")
    expect(page.locator("h1")).to_have_text("Connexion")
