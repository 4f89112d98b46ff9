"""Open Badges 3.0 credentials and their status lists, checked by a verifier nobody here wrote
(openbadgeslib, from PyPI) against what the site serves: the credential, /.well-known/did.json and
the two signed Bitstring Status Lists; and by Digital Bazaar's verifier (npm @digitalbazaar/vc,
tests/verifiers), which also checks the status lists' own proofs.
"""

import hashlib
import itertools
import json
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from openbadgeslib.ob3.did import resolve_verification_method
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError

from certificates import keys as issuer_keys
from certificates import openbadges
from certificates.dataintegrity import (
    ProofError,
    bit_is_set,
    bitstring_decode,
    canonical_nquads,
    proof_check,
)
from certificates.models import Certificate
from certificates.services import (
    bulk_issue,
    certificate_pdf_bytes,
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
    certificate_suspend,
)
from tests.certificates.factories import completed_workshop, default_templates
from tests.verifiers.node_vc import verify_credential

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keydir")]


def served(client):
    """What a verifier downloads from this site, answered by the test client (offline)."""

    def download(url, *args, **kwargs) -> bytes:
        parts = urlsplit(url)
        assert parts.hostname == "lms.test", url
        response = client.get(parts.path)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    return download


def holder_copy(client, participant_user, certificate) -> dict:
    client.force_login(participant_user)
    response = client.get(reverse("certificates:credential", args=[certificate.identifier]))
    client.logout()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def public_copy(client, certificate) -> dict:
    response = client.get(reverse("verify:credential", args=[certificate.identifier]))
    assert response.status_code == 200
    return json.loads(response.content)


def openbadgeslib_verdict(client, credential) -> str:
    """ "valid", or openbadgeslib's reason for refusing (status lists included)."""
    verifier = OB3LdpVerifier.for_issuer_did(credential["issuer"]["id"])
    try:
        # openbadgeslib checks a status list's own proof only for JWT lists; ours are Data
        # Integrity, checked by test_status_lists_are_signed_by_the_issuer below.
        verifier.verify(
            credential, check_status=True, download=served(client), verify_status_list=False
        )
    except OB3VerificationError as error:
        return str(error)
    return "valid"


def test_the_holder_downloads_a_credential_openbadgeslib_verifies(
    client, participant_user, certificates
):
    alva, _benites = certificates
    credential = holder_copy(client, participant_user, alva)

    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "did:web:lms.test"
    assert credential["id"] == f"https://lms.test/v/{alva.identifier}"
    assert credential["name"] == alva.course_title
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == alva.course_title
    assert "12" in achievement["description"]
    proof = credential["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == f"did:web:lms.test#{issuer_keys.signing_key().kid}"
    assert openbadgeslib_verdict(client, credential) == "valid"

    # The holder: the name as printed, and the email address only as a salted hash.
    name, email = credential["credentialSubject"]["identifier"]
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Rosa Alva Quispe",
    }
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    salted = ("rosa.alva@contraloria.gob.pe" + email["salt"]).encode()
    assert email["identityHash"] == "sha256$" + hashlib.sha256(salted).hexdigest()
    assert "contraloria" not in json.dumps(credential).lower()


def test_the_verification_page_offers_a_public_copy_without_the_email_hash(
    client, participant_user, certificates
):
    alva, _benites = certificates
    page = client.get(reverse("verify:certificate", args=[alva.identifier]))
    link = reverse("verify:credential", args=[alva.identifier])
    assert link in page.content.decode()

    credential = public_copy(client, alva)
    assert [i["identityType"] for i in credential["credentialSubject"]["identifier"]] == ["name"]
    assert openbadgeslib_verdict(client, credential) == "valid"
    # The same certificate, the same claims: only the holder's copy adds the hash.
    holder = holder_copy(client, participant_user, alva)
    for key in ("id", "name", "issuer", "validFrom", "credentialStatus"):
        assert holder[key] == credential[key]


def test_my_learning_links_the_credential_only_while_valid(client, participant_user, certificates):
    alva, _benites = certificates
    client.force_login(participant_user)
    link = reverse("certificates:credential", args=[alva.identifier])
    assert link in client.get(reverse("learning:my_learning")).content.decode()
    certificate_suspend(alva, actor=None, note="Revisión")
    assert link not in client.get(reverse("learning:my_learning")).content.decode()
    assert client.get(link).status_code == 404


def test_another_participant_cannot_download_the_holders_copy(client, certificates):
    _alva, benites = certificates
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    url = reverse("certificates:credential", args=[benites.identifier])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("field", ["name", "validFrom"])
def test_a_changed_credential_is_rejected(client, participant_user, certificates, field):
    alva, _benites = certificates
    credential = holder_copy(client, participant_user, alva)
    if field == "name":
        credential["credentialSubject"]["identifier"][0]["identityHash"] = "Otra Persona"
    else:
        credential["validFrom"] = "2020-01-01T00:00:00Z"

    assert openbadgeslib_verdict(client, credential) != "valid"
    with pytest.raises(ProofError):
        proof_check(credential, issuer_keys.signing_key().public_key_bytes)


def test_a_field_no_context_defines_is_not_passed_off_as_signed(
    client, participant_user, certificates
):
    """JSON-LD drops undefined terms, so the signature would still hold: our check refuses."""
    alva, _benites = certificates
    credential = holder_copy(client, participant_user, alva)
    key = issuer_keys.signing_key().public_key_bytes
    proof_check(credential, key)
    credential["grade"] = "summa cum laude"
    assert "summa" not in canonical_nquads({k: v for k, v in credential.items() if k != "proof"})
    with pytest.raises(ProofError, match="grade"):
        proof_check(credential, key)
    assert openbadgeslib_verdict(client, credential) != "valid"


def test_revocation_suspension_and_reinstatement_reach_the_status_lists(
    client, participant_user, certificates
):
    alva, benites = certificates
    credential = public_copy(client, alva)
    others = public_copy(client, benites)

    certificate_suspend(alva, actor=None, note="Revisión de asistencia")
    verdict = openbadgeslib_verdict(client, credential)
    assert "suspension" in verdict and "set" in verdict
    assert openbadgeslib_verdict(client, others) == "valid"

    certificate_reinstate(alva, actor=None, note="Asistencia confirmada")
    assert openbadgeslib_verdict(client, credential) == "valid"

    certificate_revoke(alva, actor=None, note="Firma falsificada en la lista")
    verdict = openbadgeslib_verdict(client, credential)
    assert "revocation" in verdict and "set" in verdict
    assert openbadgeslib_verdict(client, others) == "valid"


def test_a_replaced_certificate_reads_as_revoked(client, participant_user, certificates):
    alva, _benites = certificates
    credential = public_copy(client, alva)
    new = certificate_reissue(alva, actor=None, note="Nombre corregido")
    assert "revocation" in openbadgeslib_verdict(client, credential)
    assert openbadgeslib_verdict(client, public_copy(client, new)) == "valid"


def test_status_lists_are_signed_by_the_issuer(client, certificates):
    alva, _benites = certificates
    certificate_revoke(alva, actor=None, note="Emitido por error")
    [entry, _suspension] = public_copy(client, alva)["credentialStatus"]
    response = client.get(urlsplit(entry["statusListCredential"]).path)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/vc+ld+json"
    status_list = json.loads(response.content)
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    bits = bitstring_decode(subject["encodedList"])
    assert len(bits) * 8 >= 131_072
    assert bit_is_set(bits, int(entry["statusListIndex"]))
    assert sum(bin(byte).count("1") for byte in bits) == 1

    # openbadgeslib checks its Data Integrity proof with the key the did:web document publishes.
    pem = resolve_verification_method(
        status_list["proof"]["verificationMethod"], download=served(client)
    )
    verify_data_integrity_proof(status_list, pem)
    # A list whose bit was cleared by someone else no longer verifies.
    subject["encodedList"] = json.loads(response.content)["credentialSubject"]["encodedList"]
    forged = json.loads(response.content)
    forged["credentialSubject"]["encodedList"] = openbadges.bitstring_encode([], 131_072)
    with pytest.raises(OB3VerificationError):
        verify_data_integrity_proof(forged, pem)


@pytest.mark.parametrize("path", ["/credentials/status/7/revocation", "/credentials/status/0/x"])
def test_unknown_status_lists_are_not_found(client, certificates, path):
    assert client.get(path).status_code == 404


def test_positions_are_a_random_looking_one_to_one_map():
    """Every certificate of a block gets its own position, and the order says nothing."""
    key = bytes(range(32))
    positions = [openbadges._permute(key, n) for n in range(openbadges.LIST_SIZE)]
    assert sorted(positions) == list(range(openbadges.LIST_SIZE))
    first = positions[:1000]
    assert first != sorted(first)
    # Consecutive certificates land far apart (about a third of the list on average).
    gaps = [abs(a - b) for a, b in itertools.pairwise(first)]
    assert sum(gaps) / len(gaps) > openbadges.LIST_SIZE / 5
    assert [openbadges._permute(bytes(32), n) for n in range(5)] != positions[:5]


def test_each_certificate_has_its_own_position(certificates):
    alva, benites = certificates
    assert openbadges.status_slot(alva.pk) != openbadges.status_slot(benites.pk)
    # The key is made once per list and kept: positions never move.
    assert openbadges.status_slot(alva.pk) == openbadges.status_slot(alva.pk)
    assert Certificate.objects.count() == 2


# --- Digital Bazaar's verifier (npm) -------------------------------------------------------------


def digitalbazaar_verdict(client, credential) -> dict:
    """@digitalbazaar/vc's answer, given the did.json and status lists this site serves."""
    download = served(client)
    documents = {"did:web:lms.test": json.loads(download("https://lms.test/.well-known/did.json"))}
    for entry in credential["credentialStatus"]:
        url = entry["statusListCredential"]
        documents[url] = json.loads(download(url))
    return verify_credential(credential, documents)


def test_digitalbazaar_verifies_the_holders_copy_and_follows_its_status(
    client, participant_user, certificates
):
    alva, _benites = certificates
    credential = holder_copy(client, participant_user, alva)

    verdict = digitalbazaar_verdict(client, credential)
    assert verdict["errors"] == []
    assert verdict["verified"] and verdict["proofVerified"]
    assert verdict["status"] == {"revocation": False, "suspension": False}

    # The library says verified: true for a suspended or revoked credential: read the bits.
    certificate_suspend(alva, actor=None, note="Revisión de asistencia")
    verdict = digitalbazaar_verdict(client, credential)
    assert verdict["proofVerified"]
    assert verdict["status"] == {"revocation": False, "suspension": True}

    certificate_revoke(alva, actor=None, note="Firma falsificada en la lista")
    verdict = digitalbazaar_verdict(client, credential)
    assert verdict["status"] == {"revocation": True, "suspension": False}


def test_digitalbazaar_rejects_a_changed_credential(client, certificates):
    alva, _benites = certificates
    credential = public_copy(client, alva)
    credential["credentialSubject"]["achievement"]["name"] = "Maestría en Derecho"

    verdict = digitalbazaar_verdict(client, credential)
    assert not verdict["verified"]
    assert not verdict["proofVerified"]
    assert verdict["errors"]


# --- Embedded in the PDF ---------------------------------------------------------------------------


def embedded_credential(tmp_path, data: bytes) -> tuple[str, dict]:
    """What poppler's pdfdetach finds attached to the PDF: (listing, the credential)."""
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(data)
    listing = subprocess.run(
        ["pdfdetach", "-list", pdf], capture_output=True, text=True, check=True
    ).stdout
    out = tmp_path / "credential.json"
    subprocess.run(["pdfdetach", "-save", "1", "-o", out, pdf], check=True)
    return listing, json.loads(out.read_bytes())


def test_the_pdf_carries_the_holders_credential(tmp_path, client, certificates):
    alva, _benites = certificates
    listing, credential = embedded_credential(tmp_path, certificate_pdf_bytes(alva))

    assert f"{alva.display_identifier}.credential.json" in listing
    assert credential["id"] == f"https://lms.test/v/{alva.identifier}"
    assert [i["identityType"] for i in credential["credentialSubject"]["identifier"]] == [
        "name",
        "emailAddress",
    ]
    assert openbadgeslib_verdict(client, credential) == "valid"
    assert digitalbazaar_verdict(client, credential)["proofVerified"]


def test_a_name_the_stamp_fonts_lack_still_gets_its_credential(tmp_path, client, certificates):
    """Such a certificate is rendered whole by WeasyPrint; the credential is attached after."""
    alva, _benites = certificates
    Certificate.objects.filter(pk=alva.pk).update(holder_name="Rosa Alva 李")
    alva.refresh_from_db()
    _listing, credential = embedded_credential(tmp_path, certificate_pdf_bytes(alva))
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == "Rosa Alva 李"
    assert openbadgeslib_verdict(client, credential) == "valid"


def test_bulk_issue_embeds_a_credential_in_every_pdf(tmp_path, client):
    default_templates()
    workshop = completed_workshop(code="CUS-2026-004", people=21)
    result = bulk_issue(workshop, workers=2)
    assert result.rendered == 21
    certificates = list(Certificate.objects.filter(registration__workshop=workshop))
    positions = set()
    for certificate in certificates[::10]:
        _listing, credential = embedded_credential(tmp_path, certificate_pdf_bytes(certificate))
        assert credential["id"].endswith(certificate.identifier)
        assert openbadgeslib_verdict(client, credential) == "valid"
        positions.add(credential["credentialStatus"][0]["statusListIndex"])
    assert len(positions) == 3


def test_after_erasure_the_credential_names_no_one(client, staff_user, certificates):
    from lms.privacy import ANONYMISED_HOLDER
    from lms.services.privacy import person_anonymise

    alva, _benites = certificates
    person_anonymise(alva.person, actor=staff_user, reason="Solicitud 17")
    credential = openbadges.certificate_credential(openbadges.credential_certificate(alva.pk))
    assert credential["credentialSubject"]["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": ANONYMISED_HOLDER,
        }
    ]
    assert "Alva" not in json.dumps(credential)
    assert openbadgeslib_verdict(client, credential) == "valid"


# --- Our own offline check: python manage.py verify_credential -----------------------------------


def saved(tmp_path, client, name: str, path: str) -> str:
    file = tmp_path / name
    response = client.get(path)
    assert response.status_code == 200, path
    file.write_bytes(response.content)
    return str(file)


def run_verify_credential(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_credential", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_verify_credential_checks_signature_and_status_offline(
    tmp_path, client, settings, certificates
):
    settings.LANGUAGE_CODE = "en"  # what management commands speak
    alva, _benites = certificates
    credential = saved(tmp_path, client, "c.json", f"/v/{alva.identifier}/credential.json")
    did = saved(tmp_path, client, "did.json", "/.well-known/did.json")
    [revocation, suspension] = [
        urlsplit(entry["statusListCredential"]).path
        for entry in json.loads(Path(credential).read_text())["credentialStatus"]
    ]
    lists = ["--status-list", saved(tmp_path, client, "r.json", revocation)]
    lists += ["--status-list", saved(tmp_path, client, "s.json", suspension)]

    code, out = run_verify_credential(credential, "--did", did, *lists)
    assert code == 0, out
    assert "Valid signature" in out and "Rosa Alva Quispe" in out
    assert "Status revocation: not set" in out and "Status suspension: not set" in out

    # Without the lists the status is said to be unchecked, not assumed.
    code, out = run_verify_credential(credential, "--did", did)
    assert code == 0 and "not checked" in out

    certificate_revoke(alva, actor=None, note="Emitido por error")
    lists[1] = saved(tmp_path, client, "r.json", revocation)
    code, out = run_verify_credential(credential, "--did", did, *lists)
    assert code == 1 and "Status revocation: set" in out

    forged = json.loads(Path(credential).read_text())
    forged["name"] = "Maestría en Derecho"
    Path(credential).write_text(json.dumps(forged))
    code, out = run_verify_credential(credential, "--did", did)
    assert code == 1 and "NOT valid" in out


def test_a_status_list_changed_to_clear_a_revocation_is_not_trusted(client, certificates):
    alva, _benites = certificates
    credential = public_copy(client, alva)
    certificate_revoke(alva, actor=None, note="Emitido por error")
    url = credential["credentialStatus"][0]["statusListCredential"]
    document = json.loads(served(client)(url))
    document["credentialSubject"]["encodedList"] = openbadges.bitstring_encode([], 131_072)
    check = openbadges.credential_check(credential, status_lists={url: document})
    assert not check.valid and "revocation" in check.problem


def test_the_offline_check_reads_the_validity_period(client, certificates):
    from datetime import timedelta

    from django.utils import timezone

    alva, _benites = certificates
    Certificate.objects.filter(pk=alva.pk).update(valid_until=timezone.localdate())
    credential = public_copy(client, alva)
    assert openbadges.credential_check(credential).valid
    tomorrow = timezone.now() + timedelta(days=2)
    check = openbadges.credential_check(credential, now=tomorrow)
    assert not check.valid and check.kid  # well signed, but over
    before = openbadges.credential_check(credential, now=alva.issued_at - timedelta(hours=1))
    assert not before.valid
    assert not openbadges.credential_check({"issuer": 7, "proof": []}).valid
