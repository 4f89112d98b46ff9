"""Code lists kept as data and editable by staff: institutions, positions, regions (ubigeo)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class BilingualLabelMixin(models.Model):
    """A Spanish name (the source) and an optional English name, shown by active language."""

    name = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    aliases = models.CharField(
        _("other spellings"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; recognised by imports, e.g. “PNP, Policía Nacional”."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "es").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Institution(BilingualLabelMixin):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = CodeListQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["sort_order", "name"]


class Position(BilingualLabelMixin):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = CodeListQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["sort_order", "name"]


class Region(models.Model):
    """A department (2-digit INEI ubigeo) or a province (4 digits) of Peru."""

    class Level(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        PROVINCE = "province", _("Province")

    code = models.CharField(_("INEI ubigeo code"), max_length=6, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    name = models.CharField(_("name"), max_length=120)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level="department", parent__isnull=True, code__regex=r"^[0-9]{2}$")
                    | models.Q(level="province", parent__isnull=False, code__regex=r"^[0-9]{4}$")
                ),
                name="region_level_matches_code_and_parent",
            ),
        ]

    def __str__(self):
        if self.parent_id:
            return f"{self.name} ({self.parent.name})"
        return self.name

    @property
    def department(self) -> "Region":
        return self.parent if self.parent_id else self
