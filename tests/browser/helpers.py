"""Steps the journeys share: logging in as a person does, and reading a downloaded PDF."""

import subprocess
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def log_in(page, email: str, password: str = PASSWORD):
    """Fill in the site's login form (the page must show it) and send it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Iniciar sesión")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("main").get_by_role("button", name="Iniciar sesión").click()


def download(page, click) -> tuple[str, bytes]:
    """Run ``click()`` and return the file name and bytes of the download it starts."""
    with page.expect_download() as info:
        click()
    downloaded = info.value
    return downloaded.suggested_filename, Path(downloaded.path()).read_bytes()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    assert data.startswith(b"%PDF-"), data[:20]
    path = tmp_path / "download.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())
