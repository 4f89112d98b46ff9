"""Course content authored in Wagtail. The home page is the root of the public site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    verification_note = models.CharField(
        _("note on certificate verification"), max_length=255, blank=True
    )

    content_panels = [*Page.content_panels, "intro", "verification_note"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
