"""URLs: Wagtail admin, the REST API under /api/v1/, then language-prefixed public pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.public_views import robots_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("lms.api.urls")),
    path("api/v1/", include("courses.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("attendance.api_urls")),
    path("api/v1/", include("certificates.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    # Certificate verification has no language prefix: the QR code carries a fixed address.
    path("", include("certificates.verify_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots"),
    # Calendar feeds have no language prefix: calendar apps subscribe to a fixed address.
    path("", include("attendance.feed_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages carry their language: /es/… and /en/…
urlpatterns += i18n_patterns(
    path(_("privacy/"), TemplateView.as_view(template_name="privacy.html"), name="privacy"),
    path(_("account/my-data/"), include("lms.privacy_urls")),
    path(_("account/"), include("lms.account_urls")),
    path(_("my-learning/certificates/"), include("certificates.urls")),
    path(_("my-learning/"), include("courses.urls")),
    path(_("attendance/"), include("attendance.urls")),
    path(_("assessments/"), include("assessments.urls")),
    path(_("reports/"), include("reports.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
