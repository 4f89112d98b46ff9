"""Small public views of the site itself: robots.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Never indexed: the admin, the API, people's verification pages and credentials, calendars,
# documents, and every page behind a login.
PRIVATE_PREFIXES = ("/admin/", "/api/", "/v/", "/V/", "/credentials/", "/feeds/", "/documents/")


def _private_pages(language: str) -> list[str]:
    with translation.override(language):
        # The same translated prefixes as lms/urls.py's language-prefixed patterns.
        parts = (_("account/"), _("my-learning/"), _("attendance/"), _("assessments/"))
        return [f"/{language}/{part}" for part in (*parts, _("reports/"))]


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    paths = [*PRIVATE_PREFIXES]
    for language, _name in settings.LANGUAGES:
        paths += _private_pages(language)
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in paths)]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
