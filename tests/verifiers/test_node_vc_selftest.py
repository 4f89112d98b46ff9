"""The Node VC verifier harness works end to end, before (and independently of) our issuer."""

import json

import pytest

from tests.verifiers import node_vc


def test_selftest_passes():
    proc = node_vc.run_node("selftest.mjs", timeout=300)
    assert proc.returncode == 0, f"selftest failed:\n{proc.stdout}\n{proc.stderr}"
    assert "selftest: all expectations met" in proc.stdout


@pytest.fixture(scope="module")
def fixtures():
    proc = node_vc.run_node("selftest.mjs", "--fixtures", timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize(
    ("case", "revocation", "suspension"),
    [("valid", False, False), ("revoked", True, False), ("suspended", False, True)],
)
def test_verify_credential_round_trip(fixtures, case, revocation, suspension):
    result = node_vc.verify_credential(**fixtures[case])
    assert result == {
        "verified": True,
        "proofVerified": True,
        "status": {"revocation": revocation, "suspension": suspension},
        "errors": [],
    }


def test_verify_credential_tampered(fixtures):
    credential = fixtures["valid"]["credential"]
    credential["credentialSubject"]["achievement"]["name"] = "Forged"
    result = node_vc.verify_credential(credential, fixtures["valid"]["documents"])
    assert result["verified"] is False
    assert result["proofVerified"] is False
    assert result["errors"]


def test_verify_credential_is_offline(fixtures):
    """Without the DID document, the loader refuses to fetch it."""
    documents = dict(fixtures["valid"]["documents"])
    del documents["did:web:lms.test"]
    result = node_vc.verify_credential(fixtures["valid"]["credential"], documents)
    assert result["verified"] is False
    assert result["proofVerified"] is False
    assert any("no DID document given" in e for e in result["errors"]), result["errors"]


def test_verify_credential_now_override(fixtures):
    result = node_vc.verify_credential(**fixtures["valid"], now="2020-01-01T00:00:00Z")
    assert result["verified"] is False
    assert any("validFrom" in e for e in result["errors"]), result["errors"]


def test_bad_input_raises():
    with pytest.raises(node_vc.NodeVerifierError, match="expected"):
        node_vc.verify_credential("not a credential", {})  # type: ignore[arg-type]
