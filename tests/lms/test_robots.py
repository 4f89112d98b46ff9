"""robots.txt: crawlers may index the public course pages, never people's pages."""

import pytest


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_verification_accounts_and_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    disallowed = {
        line.removeprefix("Disallow: ")
        for line in response.content.decode().splitlines()
        if line.startswith("Disallow: ")
    }
    # Verification pages name the holder; the rest is behind a login.
    for path in ("/v/", "/V/", "/admin/", "/api/", "/es/cuenta/", "/en/account/"):
        assert path in disallowed
    assert "/es/mi-aprendizaje/" in disallowed
    assert "/en/my-learning/" in disallowed
    # The catalogue stays open.
    assert not any(path in ("/", "/es/", "/en/") for path in disallowed)
