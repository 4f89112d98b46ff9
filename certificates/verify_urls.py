"""Public verification: the page /v/<identifier> and the JSON at /api/v1/verify/<identifier>."""

urlpatterns: list = []
