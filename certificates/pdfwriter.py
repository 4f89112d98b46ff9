"""The fast path of certificate PDFs: stamp per-person fields on a design rendered once.

WeasyPrint renders a design once (everything a workshop's certificates share: layout, logos,
wording, course, dates, signatories) with empty, fixed-size slots for what differs per person.
``design_prepare`` adds to that page two embedded font subsets (the design's own TrueType files)
and ``stamp`` then writes, for each person, one small content stream into a copy: the name, the
identifier, the verification URL and the QR code (the address with its signed payload, signed by
the Django side beforehand) as vector squares. Text is real text (ToUnicode
maps), so it can be searched and copied, and the QR has error correction Q and a 4-module quiet zone.

The QR symbol is built here too, for speed (a signed address makes a version-16 symbol): the
qrcode library only splits the text into segments; the codewords (table-driven Reed-Solomon), the
placement of the modules (function patterns and data order cached per version, mask 2) and the
drawing (one rectangle per run of dark modules, in module units under one ``cm``) are ours, and
tests/certificates/test_pdfwriter_qr.py checks them against the library, version by version.

Every PDF is prepared for its PAdES signature in the same save (``_add_signature_field``): an
invisible signature field whose /Contents is a zero placeholder; the bytes around it are hashed
here and ``embed_signature`` later writes the CMS that ``certificates.pdfsigning`` made of that hash.

No Django here, and no key: worker processes import only this module (plus pikepdf, fontTools and
qrcode).
"""

import hashlib
import io
import logging
import operator
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


_EC = qrcode.constants.ERROR_CORRECT_Q


def _qr_code(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=_EC)
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


Segment = tuple[int, int, int, int]  # mode, character count, data bits (as an int), their number


def _segments(data_list) -> list[Segment]:
    """Each segment's data bits, written once for both the version and the codewords."""
    found = []
    for data in data_list:
        bits = _Bits()
        data.write(bits)
        found.append((data.mode, len(data), bits.value, bits.length))
    return found


def _version_for(segments: list[Segment], error_correction: int) -> int:
    for version in range(1, 41):
        needed = sum(
            4 + qrcode.util.length_in_bits(mode, version) + length
            for mode, _n, _bits, length in segments
        )
        if needed <= _bit_limit(version, error_correction):
            return version
    raise qrcode.exceptions.DataOverflowError("QR code length overflow")


def qr_version(text: str) -> int:
    """The smallest version that holds the text at error correction Q (mixed segments: the
    signed address is alphanumeric but for its '#')."""
    return _version_for(_segments(_qr_code(text).data_list), _EC)


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


@cache
def _generator_multiples(degree: int) -> tuple[int, ...]:
    """For each byte f, the generator's coefficients (after the leading 1) times f, packed
    big-endian into one int: a step of the polynomial division is then one shift and one XOR."""
    generator = _generator_logs(degree)
    return (
        0,
        *(
            int.from_bytes(bytes(_EXP[g + _LOG[f]] if g >= 0 else 0 for g in generator), "big")
            for f in range(1, 256)
        ),
    )


def _ec_codewords(data: bytes, degree: int) -> bytes:
    multiples = _generator_multiples(degree)
    shift = 8 * (degree - 1)
    low = (1 << shift) - 1
    remainder = 0  # degree bytes, the first one the highest
    for byte in data:
        remainder = ((remainder & low) << 8) ^ multiples[byte ^ (remainder >> shift)]
    return remainder.to_bytes(degree, "big")


def _qr_codewords(version: int, error_correction: int, data_list) -> list[int]:
    """qrcode.util.create_data with a table-driven Reed-Solomon: the library's polynomial
    arithmetic costs more than the rest of a large symbol's stamping."""
    return list(_codewords(version, error_correction, _segments(data_list)))


def _codewords(version: int, error_correction: int, segments: list[Segment]) -> bytes:
    """Data codewords (mode, count and data bits of each segment, terminator, padding) and
    error correction codewords, interleaved block by block."""
    buffer = _Bits()
    for mode, count, bits, length in segments:
        buffer.put(mode, 4)
        buffer.put(count, qrcode.util.length_in_bits(mode, version))
        buffer.put(bits, length)
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
        chunk = codewords[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_ec_codewords(chunk, block.total_count - block.data_count))
    out = bytearray()
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out.extend(b[i] for b in group if i < len(b))
    return bytes(out)


QR_MASK = 2  # ISO/IEC 18004 mask 2: a data module is flipped when its column is a multiple of 3


def _function_modules(version: int) -> list[list[bool | None]]:
    """The modules every symbol of a version shares at error correction Q and mask 2 (finder
    patterns with their separators, alignment and timing patterns, format and version
    information, the dark module); None where data goes."""
    n = 4 * version + 17
    grid: list[list[bool | None]] = [[None] * n for _ in range(n)]
    for top, left in ((0, 0), (n - 7, 0), (0, n - 7)):
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= top + r < n and 0 <= left + c < n:
                    grid[top + r][left + c] = (
                        (0 <= r <= 6 and c in (0, 6))
                        or (0 <= c <= 6 and r in (0, 6))
                        or (2 <= r <= 4 and 2 <= c <= 4)
                    )
    centres = qrcode.util.pattern_position(version)
    for row in centres:
        for col in centres:
            if grid[row][col] is None:  # not over a finder pattern
                for r in range(-2, 3):
                    for c in range(-2, 3):
                        grid[row + r][col + c] = max(abs(r), abs(c)) != 1
    for i in range(8, n - 8):
        if grid[i][6] is None:
            grid[i][6] = i % 2 == 0
        if grid[6][i] is None:
            grid[6][i] = i % 2 == 0
    bits = qrcode.util.BCH_type_info((qrcode.constants.ERROR_CORRECT_Q << 3) | QR_MASK)
    for i in range(15):
        dark = bool((bits >> i) & 1)
        grid[i if i < 6 else i + 1 if i < 8 else n - 15 + i][8] = dark
        grid[8][n - i - 1 if i < 8 else 15 - i if i < 9 else 14 - i] = dark
    grid[n - 8][8] = True
    if version >= 7:
        bits = qrcode.util.BCH_type_number(version)
        for i in range(18):
            dark = bool((bits >> i) & 1)
            grid[i // 3][i % 3 + n - 11] = dark
            grid[i % 3 + n - 11][i // 3] = dark
    return grid


def _placement(grid: list[list[bool | None]]) -> list[tuple[int, int]]:
    """The data modules in the order the codewords' bits fill them: two columns at a time from
    the right, zigzagging up and down, skipping the vertical timing pattern."""
    n = len(grid)
    order = []
    upward = True
    for right in range(n - 1, 0, -2):
        if right <= 6:
            right -= 1
        rows = range(n - 1, -1, -1) if upward else range(n)
        for r in rows:
            for c in (right, right - 1):
                if grid[r][c] is None:
                    order.append((r, c))
        upward = not upward
    return order


@dataclass(frozen=True)
class _Layout:
    """Per version, how to turn a symbol's codewords into its rows of modules.

    The symbol is drawn as one string: each row as "0"/"1" characters followed by a "0" (so a run
    of dark modules never spans two rows). Its characters are picked (``pick``, a C-level
    itemgetter) from a source string made of the data bits, the same bits inverted (for the
    modules the mask flips) and a constant "0" and "1" (function patterns, remainder bits).
    A run of dark modules from index s to e of that string is drawn as the rectangle
    ``starts[s] + widths[e - s]`` (column, row, width and height in module units).
    """

    size: int
    bits: int  # data and error correction bits (8 per codeword)
    pick: Callable[[str], tuple[str, ...]]
    starts: tuple[str, ...]
    widths: tuple[str, ...]


@cache
def _layout(version: int) -> _Layout:
    grid = _function_modules(version)
    n = len(grid)
    bits = sum(block.total_count for block in qrcode.base.rs_blocks(version, _EC)) * 8
    zero, one = 2 * bits, 2 * bits + 1
    source = [[zero if not dark else one for dark in row] + [zero] for row in grid]
    for k, (r, c) in enumerate(_placement(grid)):
        flip = c % 3 == 0  # mask 2
        if k < bits:
            source[r][c] = bits + k if flip else k
        else:  # remainder bits: light, then masked
            source[r][c] = one if flip else zero
    return _Layout(
        size=n,
        bits=bits,
        pick=operator.itemgetter(*(i for row in source for i in row)),
        starts=tuple(f"{c} {r} " for r in range(n) for c in range(n + 1)),
        widths=tuple(f"{w} 1 re" for w in range(n + 1)),
    )


_INVERT = str.maketrans("01", "10")


def _qr_rows(text: str) -> tuple[_Layout, str]:
    """The symbol's layout and its rows as one string (see ``_Layout``), without quiet zone."""
    segments = _segments(_qr_code(text).data_list)
    version = _version_for(segments, _EC)
    layout = _layout(version)
    data = format(int.from_bytes(_codewords(version, _EC, segments), "big"), f"0{layout.bits}b")
    return layout, "".join(layout.pick(f"{data}{data.translate(_INVERT)}01"))


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol (error correction Q), without quiet zone.

    The version is the smallest that fits; the mask is fixed (every mask is valid, and scoring
    all eight costs more than the rest of a certificate).
    """
    layout, rows = _qr_rows(text)
    n = layout.size
    return [[m == "1" for m in rows[r * (n + 1) : r * (n + 1) + n]] for r in range(n)]


_DARK_RUN = re.compile("1+")


def _qr_ops(text: str, box: Box) -> str:
    """Paint the slot white (symbol and quiet zone), then each horizontal run of dark modules as
    one rectangle in module units (one ``cm`` maps them onto the slot, rows downwards)."""
    layout, rows = _qr_rows(text)
    side = min(box.width, box.height)
    cell = side / (layout.size + 2 * QUIET_ZONE)
    left = box.x + (box.width - side) / 2
    bottom = box.y + (box.height - side) / 2
    x0 = left + QUIET_ZONE * cell
    top = bottom + side - QUIET_ZONE * cell
    starts, widths = layout.starts, layout.widths
    runs = [starts[s] + widths[e - s] for s, e in map(re.Match.span, _DARK_RUN.finditer(rows))]
    return "\n".join(
        [
            f"q 1 1 1 rg {left:.3f} {bottom:.3f} {side:.3f} {side:.3f} re f",
            f"0 0 0 rg {cell:.5f} 0 0 {-cell:.5f} {x0:.3f} {top:.3f} cm",
            *runs,
            "f Q",
        ]
    )


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
class Attachment:
    """A file embedded in the PDF (e.g. the signed Open Badges credential), as an associated file
    of the document (``/AF``, PDF/A-3 and PDF 2.0): readers list it beside the pages."""

    filename: str
    data: bytes
    mime_type: str
    description: str = ""


def _attach(pdf: pikepdf.Pdf, attachments: tuple[Attachment, ...], moment: str) -> None:
    associated = []
    for item in attachments:
        spec = pikepdf.AttachedFileSpec(
            pdf,
            item.data,
            description=item.description,
            filename=item.filename,
            mime_type=item.mime_type,
            creation_date=moment,
            mod_date=moment,
            relationship=pikepdf.Name.Data,
        )
        pdf.attachments[item.filename] = spec
        associated.append(pdf.attachments[item.filename].obj)
    if associated:
        pdf.Root.AF = pikepdf.Array(associated)


def attach(data: bytes, attachments: tuple[Attachment, ...], moment: str = "") -> bytes:
    """A PDF with files embedded (the fallback path: a full WeasyPrint render)."""
    pdf = pikepdf.open(io.BytesIO(data))
    _attach(pdf, attachments, moment)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# --- The PDF signature's placeholder -------------------------------------------------------------

SIGNATURE_BYTES = (
    8192  # room for the DER CMS: signer chain, signature and timestamp token (~3.5 kB)
)
# /ByteRange is first written with four wide integers, then overwritten in place (same width).
_RANGE_SENTINEL = 9999999999
_RANGE_PLACEHOLDER = b"/ByteRange [ 0 9999999999 9999999999 9999999999 ]"
_CONTENTS_PLACEHOLDER = b"<" + b"00" * SIGNATURE_BYTES + b">"


@dataclass(frozen=True)
class Stamped:
    """A PDF ready for its signature: ``digest`` is the SHA-256 of every byte but the /Contents
    placeholder at ``gap`` (start, end); both None for a PDF made without one."""

    data: bytes
    digest: bytes | None = None
    gap: tuple[int, int] | None = None


def _pdf_date(moment: datetime | None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _add_signature_field(pdf: pikepdf.Pdf, moment: datetime | None) -> None:
    """An invisible signature field on page 1 and its /Sig dictionary (PAdES: SubFilter
    ETSI.CAdES.detached), with placeholders for /ByteRange and /Contents."""
    signature = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Sig,
            Filter=pikepdf.Name("/Adobe.PPKLite"),
            SubFilter=pikepdf.Name("/ETSI.CAdES.detached"),
            M=pikepdf.String(_pdf_date(moment)),
            ByteRange=pikepdf.Array([0, _RANGE_SENTINEL, _RANGE_SENTINEL, _RANGE_SENTINEL]),
            # Zero bytes are not printable: qpdf writes the string in hex, <0000...>.
            Contents=pikepdf.String(b"\x00" * SIGNATURE_BYTES),
        )
    )
    page = pdf.pages[0]
    widget = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Sig,
            T=pikepdf.String("Signature1"),
            V=signature,
            Rect=pikepdf.Array([0, 0, 0, 0]),
            F=132,  # Print and Locked: a reader neither shows nor lets anyone edit it
            P=page.obj,
        )
    )
    if "/Annots" in page.obj:
        page.obj.Annots.append(widget)
    else:
        page.obj.Annots = pikepdf.Array([widget])
    form = pdf.Root.get("/AcroForm")
    if form is None:
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=pikepdf.Array()))
        form = pdf.Root.AcroForm
    if "/Fields" not in form:
        form.Fields = pikepdf.Array()
    form.Fields.append(widget)
    form.SigFlags = 3  # signatures exist; append-only (an edit must not rewrite the file)


def _save_for_signing(pdf: pikepdf.Pdf) -> Stamped:
    """Save, write the real /ByteRange over its placeholder and hash what it covers."""
    out = io.BytesIO()
    # qpdf writes new objects (the /Sig dictionary) outside object streams, so its placeholders
    # can be found and overwritten in the saved bytes; the search below refuses otherwise.
    pdf.save(out)
    data = bytearray(out.getbuffer())
    at = data.find(_RANGE_PLACEHOLDER)
    if at < 0 or data.find(_RANGE_PLACEHOLDER, at + 1) >= 0:
        raise ValueError("The signature's /ByteRange placeholder is missing or not unique.")
    # /Contents is in the same dictionary, within a few hundred bytes of /ByteRange.
    start = data.find(_CONTENTS_PLACEHOLDER, max(0, at - len(_CONTENTS_PLACEHOLDER) - 512))
    if start < 0 or b"/Contents" not in data[max(0, start - 16) : start]:
        raise ValueError("The signature's /Contents placeholder is missing.")
    end = start + len(_CONTENTS_PLACEHOLDER)
    ranges = f"[ 0 {start} {end} {len(data) - end} ]".encode("ascii")
    width = len(_RANGE_PLACEHOLDER) - len(b"/ByteRange ")
    offset = at + len(b"/ByteRange ")
    data[offset : offset + width] = ranges.ljust(width)
    view = memoryview(data)
    digest = hashlib.sha256(view[:start])
    digest.update(view[end:])
    return Stamped(data=bytes(data), digest=digest.digest(), gap=(start, end))


def prepare_for_signing(data: bytes, moment: datetime | None = None) -> Stamped:
    """A whole PDF (the fallback path: a full WeasyPrint render) with its signature placeholder."""
    pdf = pikepdf.open(io.BytesIO(data))
    _add_signature_field(pdf, moment)
    return _save_for_signing(pdf)


def embed_signature(data: bytes, gap: tuple[int, int], cms_der: bytes) -> bytes:
    """Write the CMS (DER, in hex) into the /Contents placeholder; the rest stays zero padding,
    which DER readers ignore after the SignedData."""
    start, end = gap
    hexed = cms_der.hex().encode("ascii")
    if len(hexed) > end - start - 2:
        raise ValueError(
            f"The signature ({len(cms_der)} bytes) exceeds its {SIGNATURE_BYTES}-byte placeholder."
        )
    return b"".join((data[: start + 1], hexed, data[start + 1 + len(hexed) :]))


@dataclass(frozen=True)
class Stamp:
    """What one certificate adds to its design."""

    holder_name: str
    identifier: str  # as printed, e.g. K7QM-3X9D-…
    url: str  # as printed: https://host/v/<identifier>
    metadata: dict[str, str]  # Title, Author, Subject, Keywords
    created: datetime | None = None
    qr: str = ""  # what the QR code carries (the address with its signed payload); "" = url
    attachments: tuple[Attachment, ...] = ()
    sign: bool = False  # add the signature placeholder and hash (``Stamped.digest``)


def stamp(design: Design, fields: Stamp) -> Stamped | None:
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
    stamp_time = ""
    if fields.created is not None:
        stamp_time = fields.created.strftime("D:%Y%m%d%H%M%S") + "Z"
        info["/CreationDate"] = info["/ModDate"] = pikepdf.String(stamp_time)
    _attach(pdf, fields.attachments, stamp_time)
    if fields.sign:
        _add_signature_field(pdf, fields.created)
        return _save_for_signing(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return Stamped(data=out.getvalue())


# --- Worker processes -------------------------------------------------------------------------

_DESIGNS: dict[str, Design] = {}


def worker_stamp(design_file: str, fields: Stamp) -> tuple[str, Stamped | None]:
    """Run in a worker process: each design is read once from the file the parent wrote."""
    design = _DESIGNS.get(design_file)
    if design is None:
        with open(design_file, "rb") as fh:
            # Written by the parent process into its own private temporary directory.
            design = _DESIGNS[design_file] = pickle.load(fh)  # noqa: S301
    return fields.identifier, stamp(design, fields)
