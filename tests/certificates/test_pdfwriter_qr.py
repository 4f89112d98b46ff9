"""The QR code pdfwriter stamps, checked against code nobody here wrote.

pdfwriter places the modules itself (function patterns and the zigzag order of the data bits
cached per version, mask 2 applied while placing) and computes the Reed-Solomon codewords with
its own tables: the symbol must be, module for module, the one the qrcode library draws at the
same version, error correction Q and mask 2, for every version and every kind of segment; and
what ``_qr_ops`` writes into the page must be exactly those modules, in the slot, and decode
with zxing-cpp from a poppler render.
"""

import random
import re
import subprocess
from functools import cache

import pikepdf
import pytest
import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.util
import zxingcpp
from PIL import Image

from certificates import pdfwriter
from certificates.pdfwriter import QUIET_ZONE, Box, qr_matrix, qr_version

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def signed(k: int, rng: random.Random) -> str:
    """The shape of a signed address: alphanumeric, one '#', then base32."""
    payload = "".join(rng.choice(BASE32) for _ in range(k))
    return f"HTTPS://LMS.TEST/V/{payload[:28]}#{payload}"


def plain(k: int, rng: random.Random) -> str:
    """A lower-case address (byte mode)."""
    return "https://lms.test/v/" + "".join(
        rng.choice("abcdefghjkmnpqrstvwxyz0123456789") for _ in range(k)
    )


def alphanumeric(k: int, rng: random.Random) -> str:
    """Short texts too: version 1 holds only 16 alphanumeric characters at Q."""
    return "".join(rng.choice(BASE32 + " $%*+-./:") for _ in range(k + 1))


def digits(k: int, rng: random.Random) -> str:
    return "".join(rng.choice("0123456789") for _ in range(k + 1))


def mixed(k: int, rng: random.Random) -> str:
    """Digits, letters and bytes in turn: numeric, alphanumeric and byte segments."""
    parts = []
    while sum(map(len, parts)) < k:
        parts.append(
            rng.choice(
                [
                    "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 40))),
                    "".join(rng.choice(BASE32) for _ in range(rng.randint(1, 40))),
                    "".join(rng.choice("abcdefgh#?é") for _ in range(rng.randint(1, 10))),
                ]
            )
        )
    return "".join(parts)


SHAPES = {"signed": signed, "plain": plain, "alphanumeric": alphanumeric, "digits": digits}


@cache
def texts_by_version(shape: str, seed: int = 0) -> dict[int, str]:
    """One text of the shape for each version it reaches (lengths growing until version 40)."""
    rng = random.Random(f"{shape}-{seed}")
    found: dict[int, str] = {}
    k = 0
    while True:
        text = SHAPES[shape](k, rng)
        try:
            version = qr_version(text)
        except qrcode.exceptions.DataOverflowError:
            return found
        found.setdefault(version, text)
        k += 1 if version < 10 else 4 if version < 25 else 12


def reference(text: str, version: int) -> list[list[bool]]:
    code = qrcode.QRCode(
        version=version,
        error_correction=qrcode.constants.ERROR_CORRECT_Q,
        border=0,
        mask_pattern=2,
    )
    code.add_data(text, optimize=pdfwriter.QR_OPTIMIZE)
    code.make(fit=False)
    return code.get_matrix()


def test_every_shape_reaches_every_version():
    for shape in ("signed", "plain", "digits"):
        assert set(texts_by_version(shape)) >= set(range(2, 41)), shape
    assert 1 in texts_by_version("alphanumeric")


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("versions", [range(1, 21), range(21, 41)], ids=["v1-20", "v21-40"])
def test_the_symbol_is_the_one_the_qrcode_library_draws(shape, versions):
    texts = texts_by_version(shape)
    checked = 0
    for version in versions:
        if version in texts:
            text = texts[version]
            matrix = qr_matrix(text)
            assert len(matrix) == 4 * version + 17
            assert matrix == reference(text, version), (shape, version, text)
            checked += 1
    assert checked


@pytest.mark.parametrize("seed", range(3))
def test_the_symbol_is_the_one_the_qrcode_library_draws_for_mixed_segments(seed):
    rng = random.Random(seed)
    for _ in range(12):
        text = mixed(rng.randint(1, 500), rng)
        assert qr_matrix(text) == reference(text, qr_version(text)), text


@pytest.mark.parametrize("version", range(1, 41))
def test_the_codewords_are_the_ones_the_qrcode_library_computes(version):
    """Every block structure of every version: the Reed-Solomon tables, the interleaving."""
    rng = random.Random(version)
    capacity = pdfwriter._bit_limit(version, qrcode.constants.ERROR_CORRECT_Q) // 8
    for length in {1, capacity // 2, capacity - 3}:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
        code.add_data(bytes(rng.randrange(256) for _ in range(max(length, 1))), optimize=0)
        expected = qrcode.util.create_data(version, code.error_correction, code.data_list)
        ours = pdfwriter._qr_codewords(version, code.error_correction, code.data_list)
        assert ours == expected, (version, length)


def drawn_modules(ops: str) -> tuple[list[float], set[tuple[int, int]]]:
    """The ``cm`` operands and the modules the rectangles after it cover (each rectangle one
    row high, whole modules, none overlapping another)."""
    lines = ops.splitlines()
    assert lines[0].startswith("q 1 1 1 rg ") and lines[0].endswith(" re f")
    assert lines[1].startswith("0 0 0 rg ") and lines[1].endswith(" cm")
    assert lines[-1] == "f Q"
    transform = [float(v) for v in lines[1].split()[4:10]]
    covered: set[tuple[int, int]] = set()
    for line in lines[2:-1]:
        c, r, w, h = map(int, re.fullmatch(r"(\d+) (\d+) (\d+) (\d+) re", line).groups())
        assert h == 1 and w >= 1
        cells = {(r, c + i) for i in range(w)}
        assert not cells & covered
        covered |= cells
    return transform, covered


@pytest.mark.parametrize("version", [1, 4, 7, 16, 20, 33])
def test_the_operators_draw_exactly_the_dark_modules_in_the_slot(version):
    texts = texts_by_version("signed") | {1: "HTTPS://LMS.PE"}
    text = texts[version]
    box = Box(x=400.0, y=40.0, width=130.0, height=120.0)  # wider than high: centred across
    ops = pdfwriter._qr_ops(text, box)
    matrix = qr_matrix(text)
    n = len(matrix)
    transform, covered = drawn_modules(ops)
    assert covered == {(r, c) for r in range(n) for c in range(n) if matrix[r][c]}
    # Horizontal runs are merged: one rectangle per run of dark modules in a row.
    runs = sum(len(re.findall("1+", "".join("1" if m else "0" for m in row))) for row in matrix)
    assert len(ops.splitlines()) - 3 == runs
    # Module (r, c) of the symbol lands where the previous writer put it: a square slot of the
    # box's smaller side, centred, the symbol inside a quiet zone of QUIET_ZONE modules.
    side = min(box.width, box.height)
    cell = side / (n + 2 * QUIET_ZONE)
    x0 = box.x + (box.width - side) / 2 + QUIET_ZONE * cell
    top = box.y + box.height - (box.height - side) / 2 - QUIET_ZONE * cell
    a, b, c_, d, e, f = transform
    assert b == 0 and c_ == 0
    assert a == pytest.approx(cell, abs=1e-5) and d == pytest.approx(-cell, abs=1e-5)
    assert e == pytest.approx(x0, abs=1e-3) and f == pytest.approx(top, abs=1e-3)
    # Its far corner too (the rounding of the scale does not add up across the symbol).
    assert e + a * n == pytest.approx(x0 + n * cell, abs=2e-3)
    assert f + d * n == pytest.approx(top - n * cell, abs=2e-3)


@pytest.mark.parametrize("version", [2, 10, 16, 20])
def test_zxing_decodes_the_drawn_symbol(tmp_path, version):
    """The operators alone on a page, rendered by poppler at 150 dpi, read by zxing-cpp."""
    text = texts_by_version("signed")[version]
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(200, 200))
    ops = pdfwriter._qr_ops(text, Box(x=20, y=20, width=160, height=160))
    page.contents_add(pikepdf.Stream(pdf, ops.encode("ascii")))
    pdf.save(tmp_path / "q.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "q.pdf", tmp_path / "q"],
        check=True,
    )
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "q.png"))
    assert [code.text for code in codes] == [text]
    assert codes[0].format == zxingcpp.BarcodeFormat.QRCode
    assert "Q" in str(codes[0].ec_level).upper()
