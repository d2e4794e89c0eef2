"""The name an advocate chooses to show on the web chat (issue 11): a first name, or nothing
("A person from our team"); never a number, a link or markup."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("name", ["Ana", "María José", "Mary-Kate", "O'Neil", ""])
def test_a_first_name_is_kept(stack, name):
    client = stack["app"]()
    advocate = stack["console"](client, "ana")
    assert advocate.login().status_code == 200
    saved = advocate.post("/advocate/api/me/name", {"name": f" {name} "})
    assert saved.status_code == 200 and saved.json() == {"shown_name": name}
    assert client.get("/advocate/api/me").json()["shown_name"] == name


@pytest.mark.parametrize(
    "name", ["555-0100", "Ana 2", "<b>Ana</b>", "https://x.example", "a" * 41, "Ana_B"]
)
def test_anything_else_is_refused(stack, name):
    client = stack["app"]()
    advocate = stack["console"](client, "ben")
    assert advocate.login().status_code == 200
    assert advocate.post("/advocate/api/me/name", {"name": name}).status_code == 422
    assert client.get("/advocate/api/me").json()["shown_name"] == ""


def test_changing_it_needs_the_csrf_token(stack):
    client = stack["app"]()
    advocate = stack["console"](client, "cai")
    advocate.login()
    assert advocate.post("/advocate/api/me/name", {"name": "Cai"}, csrf=False).status_code == 403
