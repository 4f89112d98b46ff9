"""The fonts a certificate may use.

The same TrueType files serve WeasyPrint (through @font-face, so the design uses exactly these
files) and the overlay writer (certificates.pdfwriter), which embeds a subset of them for the
per-person text.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from certificates.models import Font

_TRUETYPE = Path("/usr/share/fonts/truetype")

# font code -> (CSS family, regular file, bold file); Debian packages in the Makefile install them.
FILES = {
    Font.CALADEA: ("LMS Caladea", "crosextra/Caladea-Regular.ttf", "crosextra/Caladea-Bold.ttf"),
    Font.DEJAVU_SERIF: (
        "LMS DejaVu Serif",
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
    ),
    Font.LATO: ("LMS Lato", "lato/Lato-Regular.ttf", "lato/Lato-Bold.ttf"),
    Font.DEJAVU_SANS: ("LMS DejaVu Sans", "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
}


def path(font: str, *, bold: bool = False) -> Path:
    _family, regular, heavy = FILES[Font(font)]
    file = _TRUETYPE / (heavy if bold else regular)
    if not file.exists():
        raise ImproperlyConfigured(
            f"Font file {file} is missing: run `make system-deps` (Debian packages)."
        )
    return file


def family(font: str) -> str:
    return FILES[Font(font)][0]


def font_face_css() -> str:
    rules = []
    for code, (name, _regular, _bold) in FILES.items():
        for weight, bold in (("normal", False), ("bold", True)):
            rules.append(
                f"@font-face {{ font-family: '{name}'; font-weight: {weight}; "
                f"src: url('{path(code, bold=bold).as_uri()}'); }}"
            )
    return "\n".join(rules)
