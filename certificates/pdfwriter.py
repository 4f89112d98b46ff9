"""The fast path of certificate PDFs: stamp per-person fields on a design rendered once.

WeasyPrint renders a design once (everything a workshop's certificates share: layout, logos,
wording, course, dates, signatories) with empty, fixed-size slots for what differs per person.
``design_prepare`` adds to that page two embedded font subsets (the design's own TrueType files)
and ``stamp`` then writes, for each person, one small content stream into a copy: the name, the
identifier, the verification URL and the QR code (the address with its signed payload, signed by
the Django side beforehand) as vector squares. Text is real text (ToUnicode
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
import qrcode.base
import qrcode.constants
import qrcode.exceptions
import qrcode.util
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


QR_OPTIMIZE = 20  # runs of 20+ alphanumeric characters get their own (denser) segment


def _qr_code(text: str, **options) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, **options)
    code.add_data(text, optimize=QR_OPTIMIZE)
    return code


class _Bits:
    """qrcode's BitBuffer, a Python int instead of a list of bits (what makes a symbol slow)."""

    __slots__ = ("length", "value")

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, number: int, length: int) -> None:
        self.value = (self.value << length) | (number & ((1 << length) - 1))
        self.length += length

    def put_bit(self, bit: bool) -> None:
        self.put(1 if bit else 0, 1)

    def __len__(self) -> int:
        return self.length


@cache
def _bit_limit(version: int, error_correction: int) -> int:
    return sum(block.data_count * 8 for block in qrcode.base.rs_blocks(version, error_correction))


def _segments(code: qrcode.QRCode) -> list[tuple[int, int, int]]:
    """(mode, character count, data bits) of each segment."""
    found = []
    for data in code.data_list:
        bits = _Bits()
        data.write(bits)
        found.append((data.mode, len(data), bits.length))
    return found


def qr_version(text: str) -> int:
    """The smallest version that holds the text at error correction Q (mixed segments: the
    signed address is alphanumeric but for its '#')."""
    code = _qr_code(text)
    segments = _segments(code)
    for version in range(1, 41):
        needed = sum(
            4 + qrcode.util.length_in_bits(mode, version) + bits for mode, _n, bits in segments
        )
        if needed <= _bit_limit(version, code.error_correction):
            return version
    raise qrcode.exceptions.DataOverflowError("QR code length overflow")


# Reed-Solomon over GF(256) (polynomial 0x11D), as ISO/IEC 18004 asks: log and antilog tables.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


@cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """log of the coefficients (after the leading 1) of prod(x - a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [*poly, 0]
        for j, coefficient in enumerate(poly):
            if coefficient:
                nxt[j + 1] ^= _EXP[_LOG[coefficient] + i]
        poly = nxt
    return tuple(_LOG[c] if c else -1 for c in poly[1:])


def _ec_codewords(data: list[int], degree: int) -> list[int]:
    generator = _generator_logs(degree)
    remainder = [0] * degree
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            log = _LOG[factor]
            for i, g in enumerate(generator):
                if g >= 0:
                    remainder[i] ^= _EXP[g + log]
    return remainder


def _qr_codewords(version: int, error_correction: int, data_list) -> list[int]:
    """qrcode.util.create_data with a table-driven Reed-Solomon: the library's polynomial
    arithmetic costs more than the rest of a large symbol's stamping."""
    buffer = _Bits()
    for data in data_list:
        buffer.put(data.mode, 4)
        buffer.put(len(data), qrcode.util.length_in_bits(data.mode, version))
        data.write(buffer)
    blocks = qrcode.base.rs_blocks(version, error_correction)
    bit_limit = _bit_limit(version, error_correction)
    if len(buffer) > bit_limit:
        raise qrcode.exceptions.DataOverflowError("QR code length overflow")
    buffer.put(0, min(bit_limit - len(buffer), 4))  # terminator
    buffer.put(0, -len(buffer) % 8)
    for i in range((bit_limit - len(buffer)) // 8):
        buffer.put(qrcode.util.PAD1 if i % 2 else qrcode.util.PAD0, 8)
    codewords = buffer.value.to_bytes(bit_limit // 8, "big")
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = list(codewords[offset : offset + block.data_count])
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_ec_codewords(chunk, block.total_count - block.data_count))
    out = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out.extend(b[i] for b in group if i < len(b))
    return out


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol (error correction Q), without quiet zone.

    The version is the smallest that fits; the mask is fixed (every mask is valid, and scoring
    all eight costs more than the rest of a certificate).
    """
    code = _qr_code(text, version=qr_version(text), border=0, mask_pattern=2)
    code.data_cache = _qr_codewords(code.version, code.error_correction, code.data_list)
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
    url: str  # as printed: https://host/v/<identifier>
    metadata: dict[str, str]  # Title, Author, Subject, Keywords
    created: datetime | None = None
    qr: str = ""  # what the QR code carries (the address with its signed payload); "" = url


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
        ops.append(_qr_ops(fields.qr or fields.url, design.slots["qr"]))
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
