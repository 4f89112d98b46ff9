"""The fast path of certificate PDFs: stamp per-person fields on a design rendered once.

WeasyPrint renders a design once (everything a workshop's certificates share: layout, logos,
wording, course, dates, signatories) with empty, fixed-size slots for what differs per person.
``design_prepare`` adds to that page two embedded font subsets (the design's own TrueType files)
and ``stamp`` then writes, for each person, one small content stream into a copy: the name, the
identifier, the verification URL and the QR code as vector squares. Text is real text (ToUnicode
maps), so it can be searched and copied, and the QR has error correction Q and a 4-module quiet zone.

No Django here: worker processes import only this module (plus pikepdf, fontTools and qrcode).
"""

import io
import logging
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import pikepdf
import qrcode
import qrcode.constants
from fontTools import subset
from fontTools.ttLib import TTFont

# Characters the stamped fonts carry: ASCII, Latin-1 and Latin Extended-A (the letters of Spanish,
# Portuguese, Quechua and Aymara names) and typographic punctuation. A name with a character
# outside it is rendered whole by WeasyPrint instead (``stamp`` returns None).
CHARSET = frozenset(
    [
        *range(0x20, 0x7F),
        *range(0xA0, 0x180),
        *(0x2018, 0x2019, 0x201C, 0x201D, 0x2013, 0x2014, 0x2026, 0x02BC),
    ]
)
# fontTools reports every subsetting step at INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("pikepdf").setLevel(logging.WARNING)

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks


@dataclass(frozen=True)
class OverlayFont:
    """A TrueType subset ready to embed as a Type0/CIDFontType2 font with Identity-H encoding."""

    postscript_name: str
    data: bytes
    gids: dict[int, int]  # code point -> glyph id
    widths: dict[int, int]  # glyph id -> advance in 1/1000 em
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]

    def covers(self, text: str) -> bool:
        return all(ord(char) in self.gids for char in text)

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.gids[ord(c)]] for c in text) * size / 1000

    def encode(self, text: str) -> str:
        return "".join(f"{self.gids[ord(c)]:04X}" for c in text)

    def to_unicode_cmap(self) -> bytes:
        first = {}
        for cp, gid in sorted(self.gids.items()):
            first.setdefault(gid, cp)
        pairs = sorted(first.items())
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ]
        for start in range(0, len(pairs), 100):
            chunk = pairs[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines.extend(f"<{gid:04X}> <{cp:04X}>" for gid, cp in chunk)
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


@cache
def overlay_font(path: str) -> OverlayFont:
    """Subset once per process (a few hundred milliseconds), then reuse."""
    ttf = TTFont(path)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # printed and shown large: hinting only adds weight
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(CHARSET))
    subsetter.subset(ttf)
    buffer = io.BytesIO()
    ttf.save(buffer)
    units = ttf["head"].unitsPerEm

    def scaled(value: float) -> int:
        return round(value * 1000 / units)

    order = ttf.getGlyphOrder()
    gid_of = {name: gid for gid, name in enumerate(order)}
    gids = {cp: gid_of[name] for cp, name in ttf.getBestCmap().items()}
    widths = {gid: scaled(ttf["hmtx"][name][0]) for gid, name in enumerate(order)}
    head, hhea, os2 = ttf["head"], ttf["hhea"], ttf["OS/2"]
    name = (ttf["name"].getDebugName(6) or "Font").replace(" ", "")
    return OverlayFont(
        postscript_name=f"LMSSUB+{name}",
        data=buffer.getvalue(),
        gids=gids,
        widths=widths,
        ascent=scaled(hhea.ascent),
        descent=scaled(hhea.descent),
        cap_height=scaled(getattr(os2, "sCapHeight", 0) or hhea.ascent * 0.7),
        bbox=(scaled(head.xMin), scaled(head.yMin), scaled(head.xMax), scaled(head.yMax)),
    )


def _font_object(pdf: pikepdf.Pdf, font: OverlayFont) -> pikepdf.Dictionary:
    file = pikepdf.Stream(pdf, font.data)
    file["/Length1"] = len(font.data)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name("/" + font.postscript_name),
        Flags=32,
        FontBBox=list(font.bbox),
        ItalicAngle=0,
        Ascent=font.ascent,
        Descent=font.descent,
        CapHeight=font.cap_height,
        StemV=80,
        FontFile2=file,
    )
    gids = sorted(font.widths)
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name("/" + font.postscript_name),
        CIDSystemInfo=pikepdf.Dictionary(
            Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
        ),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=[0, [font.widths[gid] for gid in gids]],
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name("/" + font.postscript_name),
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pikepdf.Stream(pdf, font.to_unicode_cmap()),
        )
    )


@dataclass(frozen=True)
class Box:
    """A slot in PDF points, origin at the bottom left of the page."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextStyle:
    font_path: str
    size: float  # points
    colour: tuple[float, float, float]
    align: str = "center"  # left | center | right


@dataclass
class Design:
    """A rendered design with its slots; ``pdf`` already carries the stamp fonts."""

    pdf: bytes
    slots: dict[str, Box]
    styles: dict[str, TextStyle]
    key: str = ""
    fonts: dict[str, str] = field(default_factory=dict)  # font path -> resource name


def design_prepare(
    weasyprint_pdf: bytes, slots: dict[str, Box], styles: dict[str, TextStyle], key: str = ""
) -> Design:
    """Balance the design's graphics state and add the stamp fonts to its page, once."""
    pdf = pikepdf.open(io.BytesIO(weasyprint_pdf))
    page = pdf.pages[0]
    page.contents_coalesce()
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"), prepend=False)
    resources = page.obj.get("/Resources")
    if resources is None:
        resources = page.obj["/Resources"] = pikepdf.Dictionary()
    if "/Font" not in resources:
        resources["/Font"] = pikepdf.Dictionary()
    names = {}
    for n, path in enumerate(sorted({style.font_path for style in styles.values()}), start=1):
        name = f"/LMSStamp{n}"
        resources["/Font"][name] = _font_object(pdf, overlay_font(path))
        names[path] = name
    out = io.BytesIO()
    pdf.save(out)
    return Design(pdf=out.getvalue(), slots=slots, styles=styles, key=key, fonts=names)


@cache
def _qr_version(length: int) -> int:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data("x" * length)
    code.make(fit=True)
    return code.version


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol (error correction Q), without quiet zone.

    The version is the smallest that fits the length; the mask is fixed (every mask is valid, and
    scoring all eight costs more than the rest of a certificate).
    """
    code = qrcode.QRCode(
        version=_qr_version(len(text.encode("utf-8"))),
        error_correction=qrcode.constants.ERROR_CORRECT_Q,
        border=0,
        mask_pattern=2,
    )
    code.add_data(text)
    code.make(fit=False)
    return code.get_matrix()


def _qr_ops(text: str, box: Box) -> str:
    matrix = qr_matrix(text)
    n = len(matrix)
    side = min(box.width, box.height)
    cell = side / (n + 2 * QUIET_ZONE)
    x0 = box.x + (box.width - side) / 2 + QUIET_ZONE * cell
    top = box.y + box.height - (box.height - side) / 2 - QUIET_ZONE * cell
    ops = [
        "q 1 1 1 rg",
        f"{box.x + (box.width - side) / 2:.3f} {box.y + (box.height - side) / 2:.3f} "
        f"{side:.3f} {side:.3f} re f",
        "0 0 0 rg",
    ]
    for r, row in enumerate(matrix):
        c = 0
        y = top - (r + 1) * cell
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(
                    f"{x0 + start * cell:.3f} {y:.3f} {(c - start) * cell:.3f} {cell:.3f} re"
                )
            else:
                c += 1
    ops.append("f Q")
    return "\n".join(ops)


def _text_ops(text: str, box: Box, style: TextStyle, resource: str, *, shrink: bool) -> str:
    font = overlay_font(style.font_path)
    size = style.size
    width = font.width(text, size)
    if shrink and width > box.width:
        size = size * box.width / width
        width = box.width
    if style.align == "left":
        x = box.x
    elif style.align == "right":
        x = box.x + box.width - width
    else:
        x = box.x + (box.width - width) / 2
    # Centre the line's ascent-descent band vertically in the slot.
    band = (font.ascent - font.descent) * size / 1000
    baseline = box.y + (box.height - band) / 2 - font.descent * size / 1000
    r, g, b = style.colour
    return (
        f"BT {resource} {size:.2f} Tf {r:.3f} {g:.3f} {b:.3f} rg "
        f"{x:.3f} {baseline:.3f} Td <{font.encode(text)}> Tj ET"
    )


@dataclass(frozen=True)
class Stamp:
    """What one certificate adds to its design."""

    holder_name: str
    identifier: str  # as printed, e.g. K7QM-3X9D-…
    url: str
    metadata: dict[str, str]  # Title, Author, Subject, Keywords
    created: datetime | None = None


def stamp(design: Design, fields: Stamp) -> bytes | None:
    """The certificate's PDF, or None when a text needs a character the stamp fonts lack."""
    texts = {"holder_name": fields.holder_name, "identifier": fields.identifier, "url": fields.url}
    for slot, text in texts.items():
        if slot in design.slots and not overlay_font(design.styles[slot].font_path).covers(text):
            return None
    ops = ["q"]
    for slot, text in texts.items():
        if slot in design.slots:
            style = design.styles[slot]
            ops.append(
                _text_ops(
                    text, design.slots[slot], style, design.fonts[style.font_path], shrink=True
                )
            )
    if "qr" in design.slots:
        ops.append(_qr_ops(fields.url, design.slots["qr"]))
    ops.append("Q")
    pdf = pikepdf.open(io.BytesIO(design.pdf))
    page = pdf.pages[0]
    page.contents_add(pikepdf.Stream(pdf, "\n".join(ops).encode("ascii")), prepend=False)
    info = pdf.docinfo
    for key, value in fields.metadata.items():
        info["/" + key] = pikepdf.String(value)
    if fields.created is not None:
        stamp_time = fields.created.strftime("D:%Y%m%d%H%M%S") + "Z"
        info["/CreationDate"] = info["/ModDate"] = pikepdf.String(stamp_time)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# --- Worker processes -------------------------------------------------------------------------

_DESIGNS: dict[str, Design] = {}


def worker_stamp(design_file: str, fields: Stamp) -> tuple[str, bytes | None]:
    """Run in a worker process: each design is read once from the file the parent wrote."""
    design = _DESIGNS.get(design_file)
    if design is None:
        with open(design_file, "rb") as fh:
            # Written by the parent process into its own private temporary directory.
            design = _DESIGNS[design_file] = pickle.load(fh)  # noqa: S301
    return fields.identifier, stamp(design, fields)
