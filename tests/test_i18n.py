"""Spanish first, English available, and no user-facing string left untranslated."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ["lms", "courses", "attendance", "assessments", "certificates", "reports", "locale"]


def test_spanish_catalog_is_complete():
    catalog = polib.pofile(str(CATALOG))
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    # Spanish has three plural forms in Django's catalogs (1, millions, the rest): a plural with
    # fewer would fall back to English for every count but one.
    nplurals = int(catalog.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [e.msgid for e in catalog if e.msgid_plural and len(e.msgstr_plural) < nplurals]
    assert short == []


def test_spanish_catalog_covers_every_marked_string(tmp_path):
    """makemessages on the current code finds no msgid that the committed catalog lacks."""
    for name in SOURCE_DIRS:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "PATH": "/usr/bin:/bin",
            "LMS_DATA_DIR": str(tmp_path / "var"),
        },
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/es/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(CATALOG))}
    assert sorted(fresh - committed) == [], "run `make makemessages` and translate the new strings"


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("es-PE,es;q=0.9", "Saltar al contenido"), ("en-US,en;q=0.9", "Skip to content")],
)
def test_public_page_follows_the_browser_language(client, db, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language}, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_spanish_is_the_default(client, db):
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert '<html lang="es">' in html
