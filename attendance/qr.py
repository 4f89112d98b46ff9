"""QR codes: inline SVG for pages and PDFs (no image files, no JavaScript), PNG for emails (mail
clients do not show SVG). Error correction Q, quiet zone of four modules."""

import io

import qrcode
import qrcode.image.pil
import qrcode.image.svg


def _code(data: str, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_Q, box_size=box_size, border=4
    )
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, *, box_size: int = 10) -> str:
    image = _code(data, box_size).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    image = _code(data, box_size).make_image(image_factory=qrcode.image.pil.PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
