"""axe-core in the journeys' pages: no violation of impact "serious" or "critical".

axe-core comes from npm, pinned in ``axe/package.json`` and ``axe/package-lock.json`` and installed
with ``npm ci`` under a file lock (pytest-xdist workers install it once), like the credential
verifier in tests/verifiers. The source is evaluated through Playwright (the DevTools protocol),
which the site's Content-Security-Policy does not apply to, so no page needs to allow it.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from functools import cache
from pathlib import Path

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SOURCE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PACKAGE_LOCK = AXE_DIR / "package-lock.json"
LOCK_FILE = AXE_DIR / ".install.lock"
BLOCKING = {"serious", "critical"}


def _install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: the accessibility checks install axe-core with it")
    LOCK_FILE.touch(exist_ok=True)
    with LOCK_FILE.open("r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            stale = (
                not AXE_SOURCE.is_file()
                or AXE_SOURCE.stat().st_mtime < PACKAGE_LOCK.stat().st_mtime
            )
            if stale:
                proc = subprocess.run(
                    [npm, "ci", "--no-audit", "--no-fund"],
                    cwd=AXE_DIR,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    check=False,
                )
                if proc.returncode != 0:
                    raise RuntimeError(f"`npm ci` failed in {AXE_DIR}:\n{proc.stdout}{proc.stderr}")
                AXE_SOURCE.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@cache
def axe_source() -> str:
    _install()
    return AXE_SOURCE.read_text(encoding="utf-8")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [
            f"{', '.join(map(str, node['target']))}  {node['html'][:160]}"
            for node in violation["nodes"]
        ]
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})\n    " + "\n    ".join(targets)
        )
    return "\n".join(lines)


def axe_violations(page, *, exclude: tuple[str, ...] = (), disable: tuple[str, ...] = ()):
    """The serious and critical violations axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    results = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def assert_accessible(page, *, exclude: tuple[str, ...] = (), disable: tuple[str, ...] = ()):
    violations = axe_violations(page, exclude=exclude, disable=disable)
    assert not violations, (
        f"axe-core: serious or critical accessibility violations in {page.url}:\n"
        + format_violations(violations)
    )
