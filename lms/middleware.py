"""Language selection that leaves non-page URLs alone."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

# Paths outside i18n_patterns: a 404 there is a real 404, not a page missing its /es/ prefix
# (the page tree's catch-all pattern would otherwise make every /es/... look valid).
UNPREFIXED = (
    *("/api/", "/admin/", "/static/", "/media/", "/documents/", "/i18n/", "/feeds/", "/v/"),
    *("/V/", "/.well-known/", "/credentials/", "/robots.txt"),
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
