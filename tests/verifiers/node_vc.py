"""Python side of the independent Node verifier of VC 2.0 / Open Badges 3.0 credentials.

The verifier (``tests/verifiers/vc``) is built from Digital Bazaar's npm libraries, pinned in
``package.json`` / ``package-lock.json``, and runs fully offline: the only documents it can
load are the JSON-LD contexts bundled in those packages and the ``documents`` map passed here.

    from tests.verifiers.node_vc import verify_credential

    result = verify_credential(credential, {
        "did:web:lms.test": did_json,                      # the site's /.well-known/did.json
        status_list_url: status_list_credential,           # one per statusListCredential URL
    })
    # {"verified": bool, "proofVerified": bool,
    #  "status": {"revocation": bool | None, "suspension": bool | None}, "errors": [str]}

``verified`` means the proof and every status check (including the status list credentials'
own proofs) ran without error; a revoked or suspended credential is still ``verified`` and
carries its bits in ``status``.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

VC_DIR = Path(__file__).resolve().parent / "vc"
LOCK_FILE = VC_DIR / ".install.lock"
PACKAGE_LOCK = VC_DIR / "package-lock.json"
# npm writes its "hidden lockfile" last when it finishes installing: it marks a complete install.
INSTALLED_MARKER = VC_DIR / "node_modules" / ".package-lock.json"

INSTALL_TIMEOUT = 600
VERIFY_TIMEOUT = 120

_installed = False


class NodeVerifierError(RuntimeError):
    """The Node verifier could not be installed or run, or answered something unreadable."""


def _which(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise NodeVerifierError(
            f"`{name}` is not on PATH: the VC verifier in {VC_DIR} needs Node.js >= 18 and npm."
        )
    return path


def node_executable() -> str:
    return _which("node")


def _needs_install() -> bool:
    if not INSTALLED_MARKER.is_file():
        return True
    return INSTALLED_MARKER.stat().st_mtime < PACKAGE_LOCK.stat().st_mtime


def ensure_installed() -> None:
    """Run ``npm ci`` in the verifier directory if node_modules is missing or stale.

    Guarded by an exclusive ``flock`` so that concurrent pytest-xdist workers install once.
    """
    global _installed
    if _installed:
        return
    node_executable()
    LOCK_FILE.touch(exist_ok=True)
    with LOCK_FILE.open("r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _needs_install():
                proc = subprocess.run(
                    [_which("npm"), "ci", "--no-audit", "--no-fund"],
                    cwd=VC_DIR,
                    capture_output=True,
                    text=True,
                    timeout=INSTALL_TIMEOUT,
                    check=False,
                )
                if proc.returncode != 0:
                    raise NodeVerifierError(
                        f"`npm ci` failed in {VC_DIR} (exit {proc.returncode}):\n"
                        f"{proc.stdout}\n{proc.stderr}"
                    )
                if _needs_install():
                    # npm ci kept an old hidden lockfile: mark the install as fresh.
                    INSTALLED_MARKER.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _installed = True


def run_node(script: str, *args: str, stdin: str | None = None, timeout: float = VERIFY_TIMEOUT):
    """Run ``node <script> <args>`` in the verifier directory (after installing)."""
    ensure_installed()
    return subprocess.run(
        [node_executable(), script, *args],
        cwd=VC_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def verify_credential(
    credential: dict[str, Any], documents: dict[str, Any], *, now: str | None = None
) -> dict[str, Any]:
    """Verify ``credential`` offline with the Node verifier; see the module docstring.

    ``documents`` maps a DID (``did:web:<host>``) to its DID document and each status list
    credential URL to that credential. ``now`` (ISO 8601) overrides the verification time.
    """
    payload: dict[str, Any] = {"credential": credential, "documents": documents}
    if now is not None:
        payload["now"] = now
    proc = run_node("verify.mjs", stdin=json.dumps(payload))
    if proc.returncode != 0:
        raise NodeVerifierError(
            f"node verify.mjs failed (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}"
        )
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise NodeVerifierError(
            f"node verify.mjs printed no JSON: {exc}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        ) from exc
    if not isinstance(result, dict) or not {"verified", "proofVerified", "status", "errors"} <= set(
        result
    ):
        raise NodeVerifierError(f"node verify.mjs answered an unexpected shape: {proc.stdout}")
    return result
