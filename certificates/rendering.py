"""Certificate PDFs: WeasyPrint renders each design once, the per-person fields are stamped on it.

Everything the certificates of a workshop share (layout, logos, wording, course, hours, dates,
region, signatories) is the *design*: rendered by WeasyPrint once per process and cached by a hash
of its content. The name, identifier, verification URL and QR code are then stamped into the
design's fixed slots by ``certificates.pdfwriter`` (a few milliseconds), in worker processes for a
bulk issue. The QR code's signed payload (``certificates.signed_qr``) is signed here, in this
process, and handed to the workers as text. A name with a character the stamp fonts lack is rendered whole by WeasyPrint, and so
is the design preview: both paths use the same HTML, CSS and fonts.

Every PDF is signed (PAdES B-T, ``certificates.pdfsigning``): the workers add the signature
placeholder and hash the PDF, this process signs the hash and writes the signature in.
"""

import base64
import hashlib
import logging
import multiprocessing
import os
import pickle
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from certificates import fonts, pdfsigning
from certificates.identifiers import display_identifier, verification_url
from certificates.keys import IssuerKey, kid_for
from certificates.models import Certificate, CertificateTemplate
from certificates.openbadges import (
    CREDENTIAL_MEDIA_TYPE,
    certificate_credential,
    certificate_credentials,
    credential_bytes,
    credential_filename,
)
from certificates.pdfwriter import (
    QUIET_ZONE,
    Attachment,
    Box,
    Design,
    Stamp,
    Stamped,
    TextStyle,
    attach,
    design_prepare,
    embed_signature,
    overlay_font,
    prepare_for_signing,
    qr_matrix,
    stamp,
    worker_stamp,
)
from certificates.signed_qr import MAX_SIGNED_QR_VERSION, certificate_qr_text

logger = logging.getLogger(__name__)

LAYOUT_CSS = Path(__file__).parent / "pdf" / "layout.css"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in
NAME_SIZE = 30.0
DESIGN_CACHE_SIZE = 32


# --- Per-process state: fonts and stylesheets parsed once ----------------------------------

# WeasyPrint's font machinery (Pango, fontconfig) is not safe to share between threads: threaded
# web servers render one design at a time; stamping, the per-person part, runs in parallel.
_weasyprint_lock = threading.RLock()


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _layout_css() -> CSS:
    text = fonts.font_face_css() + "\n" + LAYOUT_CSS.read_text(encoding="utf-8")
    return CSS(string=text, font_config=_font_config())


def _hex_to_rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))


_design_css_cache: dict[tuple, CSS] = {}


def _design_css_text(template: CertificateTemplate) -> str:
    """The design's colours and fonts over the built-in layout, then its own extra CSS."""
    heading, body = fonts.family(template.heading_font), fonts.family(template.body_font)
    return f"""
    body {{ font-family: '{body}'; }}
    .title, .slot-name, .signatory-name {{ font-family: '{heading}'; }}
    .title, .slot-name {{ color: {template.primary_colour}; }}
    .frame {{ border-color: {template.primary_colour}; }}
    .frame-inner, .rule {{ border-color: {template.accent_colour}; }}
    .subtitle, .issuer {{ color: {template.accent_colour}; }}
    {template.extra_css}
    """


def _design_css(template: CertificateTemplate) -> CSS:
    key = (template.pk, template.updated_at, template.primary_colour, template.accent_colour)
    key += (template.heading_font, template.body_font, template.extra_css)
    css = _design_css_cache.get(key)
    if css is None:
        text = _design_css_text(template)
        css = _design_css_cache[key] = CSS(string=text, font_config=_font_config())
    return css


def _styles(template: CertificateTemplate) -> dict[str, TextStyle]:
    """How the stamped text looks: the design's own fonts and colours, as in layout.css."""
    return {
        "holder_name": TextStyle(
            str(fonts.path(template.heading_font, bold=True)),
            NAME_SIZE,
            _hex_to_rgb(template.primary_colour),
        ),
        "identifier": TextStyle(
            str(fonts.path(template.body_font)), 7.5, (0.17, 0.17, 0.17), "right"
        ),
        "url": TextStyle(str(fonts.path(template.body_font)), 5.5, (0.17, 0.17, 0.17), "right"),
    }


# --- Images (logos, background, signatures) -------------------------------------------------

_image_cache: dict[tuple, str] = {}


def _image_src(image, spec: str) -> str:
    if image is None:
        return ""
    key = (image.pk, image.file_hash or image.file.name, spec)
    src = _image_cache.get(key)
    if src is None:
        rendition = image.get_rendition(spec)
        try:
            src = Path(rendition.file.path).as_uri()
        except NotImplementedError:  # remote storage: inline the bytes
            with rendition.file.open("rb") as fh:
                data = base64.b64encode(fh.read()).decode("ascii")
            mime = "image/png" if rendition.file.name.endswith(".png") else "image/jpeg"
            src = f"data:{mime};base64,{data}"
        _image_cache[key] = src
    return src


# --- What a certificate says ----------------------------------------------------------------


def _number(value: Decimal) -> str:
    value = Decimal(value)
    shown = value.quantize(Decimal(1)) if value == value.to_integral() else value
    return formats.number_format(shown, use_l10n=True)


def long_date(day: date, *, month: bool = True, year: bool = True) -> str:
    """'5 de marzo de 2026' / '5 March 2026' (the same order in both languages)."""
    values = {"day": day.day, "month": MONTHS[day.month], "year": day.year}
    if not month:
        return str(day.day)
    if not year:
        return _("%(day)s %(month)s") % values
    return _("%(day)s %(month)s %(year)s") % values


def date_range(start: date | None, end: date) -> str:
    """'del 3 al 5 de marzo de 2026' / 'from 3 to 5 March 2026', in the active language."""
    if start is None or start == end:
        return _("on %(date)s") % {"date": long_date(end)}
    same_year = start.year == end.year
    first = long_date(start, month=not (same_year and start.month == end.month), year=not same_year)
    return _("from %(start)s to %(end)s") % {"start": first, "end": long_date(end)}


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _body(certificate: Certificate, template: CertificateTemplate) -> str:
    online = not certificate.workshop_code
    text = template.online_body if online and template.online_body else template.body
    values = {
        "course": format_html("<strong>{}</strong>", certificate.course_title),
        "hours": escape(_number(certificate.contact_hours)),
        "workshop": escape(certificate.workshop_code),
        "region": escape(certificate.region_name),
        "dates": escape(date_range(certificate.started_on, certificate.completed_on)),
        "modality": escape(certificate.modality),
    }

    # Only plain {name} placeholders are replaced, never through str.format: a design's wording
    # is staff input, and format() would evaluate {course.__class__...} attribute lookups.
    def placeholder(match):
        return str(values.get(match.group(1), match.group(0)))

    return mark_safe(_PLACEHOLDER.sub(placeholder, escape(text)))  # noqa: S308 - values escaped


def _metadata(certificate: Certificate) -> dict[str, str]:
    return {
        "Title": f"{certificate.template.title} – {certificate.holder_name} – "
        f"{certificate.course_title}",
        "Author": certificate.issuer_name,
        "Subject": _("Verify at %(url)s") % {"url": verification_url(certificate.identifier)},
        "Keywords": display_identifier(certificate.identifier),
        "Creator": "Integridad LMS",
    }


def _design_context(certificate: Certificate) -> dict:
    """Everything but the per-person slots: two certificates with equal contexts share a design."""
    template = certificate.template
    issued = timezone.localtime(certificate.issued_at).date()
    return {
        "language": certificate.language,
        "meta": {
            "Title": template.title,
            "Author": certificate.issuer_name,
            "Subject": "",
            "Keywords": "",
        },
        "issuer": certificate.issuer_name,
        "title": template.title,
        "subtitle": template.subtitle,
        "intro": template.intro,
        "body": _body(certificate, template),
        "issued_line": _("Issued on %(date)s") % {"date": long_date(issued)},
        "footer": template.footer,
        "logo_left": _image_src(template.logo_left, "max-800x320|format-png"),
        "logo_right": _image_src(template.logo_right, "max-800x320|format-png"),
        "background": _image_src(template.background, "fill-2339x1654|format-jpeg|jpegquality-80"),
        "signatories": [
            {
                "name": s.name,
                "title": s.title,
                "image": _image_src(s.signature, "max-600x240|format-png"),
            }
            for s in template.signatories.all()
        ],
        "labels": {
            "identifier": _("Verification code"),
            "verify": _("Verify this certificate at"),
        },
        "template_version": (template.pk, str(template.updated_at)),
    }


def _html(context: dict) -> str:
    html = render_to_string("certificates/pdf/certificate.html", context)
    if context.get("background"):
        page_css = (
            f"<style>@page {{ background: url('{context['background']}') center / cover "
            "no-repeat; }</style>"
        )
        html = html.replace("</head>", page_css + "</head>", 1)
    return html


def _render(html: str, template: CertificateTemplate, *, fresh: bool = False):
    if fresh:  # the baseline: nothing shared with earlier renders
        font_config = FontConfiguration()
        layout = CSS(
            string=fonts.font_face_css() + LAYOUT_CSS.read_text(encoding="utf-8"),
            font_config=font_config,
        )
        design = CSS(string=_design_css_text(template), font_config=font_config)
        return HTML(string=html, base_url=str(settings.BASE_DIR)).render(
            stylesheets=[layout, design], font_config=font_config
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[_layout_css(), _design_css(template)], font_config=_font_config()
    )


def _slots(document) -> dict[str, Box]:
    page = document.pages[0]
    height = page.height

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    slots = {}
    for box in walk(page._page_box):
        element = getattr(box, "element", None)
        name = element.get("data-slot") if element is not None else None
        if name and name not in slots:
            x, y = box.content_box_x(), box.content_box_y()
            slots[name] = Box(
                x=x * PX_TO_PT,
                y=(height - y - box.height) * PX_TO_PT,
                width=box.width * PX_TO_PT,
                height=box.height * PX_TO_PT,
            )
    missing = {"holder_name", "identifier", "url", "qr"} - set(slots)
    if missing:
        raise ValueError(f"The certificate layout lost its slots: {', '.join(sorted(missing))}")
    return slots


_designs: OrderedDict[str, Design] = OrderedDict()
_design_keys: dict[tuple, str] = {}


def _quick_key(certificate: Certificate) -> tuple:
    """The certificate's fields that the design shows, read without a database query."""
    template = certificate.template
    return (
        template.pk,
        template.updated_at,
        certificate.language,
        certificate.issuer_name,
        certificate.course_title,
        certificate.contact_hours,
        certificate.workshop_code,
        certificate.region_name,
        certificate.modality,
        certificate.started_on,
        certificate.completed_on,
        timezone.localtime(certificate.issued_at).date(),
    )


def design_for(certificate: Certificate) -> Design:
    """The certificate's design, from this process's cache or rendered now."""
    quick = _quick_key(certificate) if certificate.template.pk else None
    known = _designs.get(_design_keys.get(quick, ""))
    if known is not None:
        return known
    with translation.override(certificate.language):
        context = _design_context(certificate)
        key = hashlib.sha256(repr(sorted(context.items())).encode()).hexdigest()
        design = _designs.get(key)
        if design is not None:
            _designs.move_to_end(key)
            if quick is not None:
                _design_keys[quick] = key
            return design
        with _weasyprint_lock:
            document = _render(_html(context), certificate.template)
            weasyprint_pdf = document.write_pdf()
    slots = _slots(document)
    if min(slots["qr"].width, slots["qr"].height) < _min_qr_points():
        raise ValueError("The QR code slot is smaller than 35 mm plus its quiet zone.")
    design = design_prepare(weasyprint_pdf, slots, _styles(certificate.template), key=key)
    _designs[key] = design
    if quick is not None:
        _design_keys[quick] = key
    while len(_designs) > DESIGN_CACHE_SIZE:
        _designs.popitem(last=False)
    if len(_design_keys) > 10 * DESIGN_CACHE_SIZE:
        _design_keys.clear()
    return design


MIN_QR_MM = 35
MIN_MODULE_MM = 0.35  # the smallest module a phone camera reads reliably from paper


def _min_qr_points() -> float:
    """The QR slot (symbol and quiet zone) must give the symbol 35 mm and each module 0.35 mm,
    from the plain address (the smallest symbol, whose quiet zone weighs most) up to the
    largest signed one (version MAX_SIGNED_QR_VERSION)."""
    smallest = len(qr_matrix(verification_url("0" * 28)))
    largest = 17 + 4 * MAX_SIGNED_QR_VERSION
    needed = [
        max(MIN_QR_MM, modules * MIN_MODULE_MM) * (modules + 2 * QUIET_ZONE) / modules
        for modules in (smallest, largest)
    ]
    return max(needed) / 25.4 * 72


def _attachments(certificate: Certificate, credential: dict | None) -> tuple[Attachment, ...]:
    if credential is None:
        return ()
    with translation.override(certificate.language):
        description = _("Digital credential (Open Badges 3.0), signed by the issuer")
    return (
        Attachment(
            filename=credential_filename(certificate),
            data=credential_bytes(credential),
            mime_type=CREDENTIAL_MEDIA_TYPE,
            description=description,
        ),
    )


def _stamp_fields(
    certificate: Certificate, qr: str | None = None, credential: dict | None = None
) -> Stamp:
    """The per-person fields; the QR's payload and the embedded credential are signed here, on
    the Django side, so the worker processes stamp what they are given and never see a key."""
    return Stamp(
        holder_name=certificate.holder_name,
        identifier=display_identifier(certificate.identifier),
        url=verification_url(certificate.identifier),
        metadata=_metadata(certificate),
        created=certificate.issued_at,
        qr=qr if qr is not None else certificate_qr_text(certificate),
        attachments=_attachments(certificate, credential),
        sign=True,
    )


def _signed(stamped: Stamped, signer: pdfsigning.PdfSigner) -> bytes:
    return embed_signature(stamped.data, stamped.gap, signer.sign_digest(stamped.digest))


# --- Whole renders: fallback, preview and the benchmark's baseline --------------------------


def _qr_svg(url: str) -> str:
    matrix = qr_matrix(url)
    n = len(matrix) + 2 * QUIET_ZONE
    path = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.append(f"M{start + QUIET_ZONE} {r + QUIET_ZONE}h{c - start}v1h{start - c}z")
            else:
                c += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'shape-rendering="crispEdges"><rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path d="{"".join(path)}" fill="#000"/></svg>'
    )


def _name_size(certificate: Certificate, width_pt: float = 237 * 72 / 25.4) -> float:
    style = _styles(certificate.template)["holder_name"]
    font = overlay_font(style.font_path)
    if font.covers(certificate.holder_name):
        width = font.width(certificate.holder_name, NAME_SIZE)
    else:
        width = len(certificate.holder_name) * NAME_SIZE * 0.55
    return round(min(NAME_SIZE, NAME_SIZE * width_pt / width) if width else NAME_SIZE, 2)


def render_full(
    certificate: Certificate,
    *,
    fresh: bool = False,
    qr: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    sign: bool = True,
) -> bytes:
    """One WeasyPrint render with every field in place, signed unless ``sign`` is False
    (``fresh``: share nothing, the baseline)."""
    with translation.override(certificate.language):
        context = _design_context(certificate)
        context["meta"] = _metadata(certificate)
        context["filled"] = {
            "holder_name": certificate.holder_name,
            "name_size": f"{_name_size(certificate):.2f}",
            "identifier": display_identifier(certificate.identifier),
            "url": verification_url(certificate.identifier),
            "qr_svg": _qr_svg(qr if qr is not None else certificate_qr_text(certificate)),
        }
        with _weasyprint_lock:
            data = _render(_html(context), certificate.template, fresh=fresh).write_pdf()
    if attachments:
        data = attach(data, attachments)
    if not sign:
        return data
    return _signed(prepare_for_signing(data, certificate.issued_at), pdfsigning.pdf_signer())


def render_preview(template: CertificateTemplate) -> bytes:
    """A sample certificate of a design, for the admin's preview (nothing is saved)."""
    today = timezone.localdate()
    sample = Certificate(
        identifier="0" * 26 + "00",
        template=template,
        language=template.language,
        holder_name="María José Ñúñez Huamán",
        course_title=_("Public Ethics and Prevention of Corruption"),
        contact_hours=Decimal("24"),
        workshop_code="LIM-2026-001",
        region_name="Lima",
        modality="in_person",
        started_on=today,
        completed_on=today,
        issuer_name=template.issuer_name,
        issued_at=timezone.now(),
    )
    # A throw-away key: the preview shows a QR of the real size, and needs no issuer key.
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    signer = IssuerKey(kid=kid_for(raw), public_key_bytes=raw, private_key=private)
    # Nor is it signed: a made-up certificate must never carry the issuer's PDF signature.
    return render_certificate(sample, qr=certificate_qr_text(sample, signer=signer), sign=False)


# --- Public entry points --------------------------------------------------------------------


def render_certificate(
    certificate: Certificate, *, qr: str | None = None, sign: bool = True
) -> bytes:
    """The certificate's PDF, signed (``sign``); its QR payload is signed now (or ``qr`` is the
    text to carry), and its Open Badges credential (the holder's copy) is signed now and
    embedded. A certificate not saved (the design preview) has no credential."""
    credential = certificate_credential(certificate) if certificate.pk else None
    fields = replace(_stamp_fields(certificate, qr, credential), sign=sign)
    # Before the render: a missing key stops it early.
    signer = pdfsigning.pdf_signer() if sign else None
    stamped = stamp(design_for(certificate), fields)
    if stamped is None:
        return render_full(certificate, qr=fields.qr, attachments=fields.attachments, sign=sign)
    return _signed(stamped, signer) if sign else stamped.data


_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_design_dir: str | None = None


def worker_count(requested: int | None = None) -> int:
    count = requested if requested is not None else settings.LMS_CERTIFICATE_WORKERS
    if not count:
        count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if multiprocessing.current_process().daemon:
        return 1  # e.g. inside a Celery prefork child, which may not start processes
    return max(1, count)


def _executor(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
        # spawn: the workers never inherit this process's database connections.
        _pool = ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"))
        _pool_size = size
    return _pool


def _design_file(design: Design) -> str:
    global _design_dir
    if _design_dir is None:
        _design_dir = tempfile.mkdtemp(prefix="lms-designs-")
    path = os.path.join(_design_dir, f"{design.key}.pickle")
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as fh:
            pickle.dump(design, fh)
        os.replace(path + ".tmp", path)
    return path


def render_certificates(
    certificates: Iterable[Certificate], *, workers: int | None = None
) -> Iterator[tuple[Certificate, bytes]]:
    """PDFs for many certificates, in order; stamping runs in worker processes when there are
    several cores (``LMS_CERTIFICATE_WORKERS``)."""
    certificates = list(certificates)
    size = worker_count(workers)
    if size == 1 or len(certificates) < 20:
        for certificate in certificates:
            yield certificate, render_certificate(certificate)
        return
    signer = pdfsigning.pdf_signer()
    credentials = certificate_credentials(certificates)
    jobs = [
        (_design_file(design_for(c)), _stamp_fields(c, credential=credential))
        for c, credential in zip(certificates, credentials, strict=True)
    ]
    results = _executor(size).map(
        worker_stamp,
        [job[0] for job in jobs],
        [job[1] for job in jobs],
        chunksize=max(1, min(50, len(jobs) // (size * 4))),
    )
    # The workers stamp and hash; the signatures are made here, where the key is.
    for certificate, (_file, fields), (_identifier, stamped) in zip(
        certificates, jobs, results, strict=True
    ):
        if stamped is None:
            data = render_full(certificate, qr=fields.qr, attachments=fields.attachments)
        else:
            data = _signed(stamped, signer)
        yield certificate, data
