"""The Data Integrity building blocks without the database: the fast canonical N-Quads must be
byte for byte what PyLD's RDFC-1.0 gives, whatever the values (quotes, backslashes, accents,
text that looks like N-Quads syntax), and the status bitstring must round-trip."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from certificates.dataintegrity import (
    CREDENTIALS_V2,
    OPEN_BADGES_V3,
    bit_is_set,
    bitstring_decode,
    bitstring_encode,
    canonical_nquads,
    canonical_nquads_fast,
)

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40
) | st.sampled_from(['Ñúñez "Chino" Huamán', "a\\b", "_:b0 <x> .", "line\nbreak", "urn:x-lms"])


def credential(name: str, course: str, email: bool, salt: str, start: bool) -> dict:
    identifiers = [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}
    ]
    if email:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": "sha256$" + "ab" * 32,
                "salt": salt,
            }
        )
    subject = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": {
            "id": "https://lms.test/es/cursos/eti-101/",
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": course,
            "description": f"Certificado de {course}",
            "criteria": {"narrative": course},
            "inLanguage": "es",
        },
        "activityEndDate": "2026-11-12T05:00:00Z",
    }
    if start:
        subject["activityStartDate"] = "2026-11-11T05:00:00Z"
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": "https://lms.test/v/6EYX44YWPNF0T388PMD7DAM26CXV",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course,
        "issuer": {"id": "did:web:lms.test", "type": ["Profile"], "name": "Programa"},
        "validFrom": "2026-11-24T01:49:53Z",
        "credentialSubject": subject,
        "credentialStatus": [
            {
                "id": "https://lms.test/credentials/status/0/revocation#17111",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "17111",
                "statusListCredential": "https://lms.test/credentials/status/0/revocation",
            }
        ],
    }


@settings(max_examples=150, deadline=None)
@given(name=TEXT, course=TEXT, email=st.booleans(), salt=TEXT, start=st.booleans())
def test_the_fast_canonical_form_is_pyld_s(name, course, email, salt, start):
    document = credential(name, course, email, salt, start)
    untouched = copy.deepcopy(document)
    assert canonical_nquads_fast(document) == canonical_nquads(document)
    assert document == untouched


def test_equal_values_in_two_blank_nodes_still_canonicalize():
    """Two identity objects alike but for one flag, and a course named like the holder."""
    document = credential("Rosa", "Rosa", True, "Rosa", True)
    assert canonical_nquads_fast(document) == canonical_nquads(document)


@given(st.sets(st.integers(min_value=0, max_value=131_071), max_size=50))
def test_the_bitstring_round_trips(positions):
    encoded = bitstring_encode(positions, 131_072)
    assert encoded.startswith("u")
    bits = bitstring_decode(encoded)
    assert len(bits) == 16_384
    assert {i for i in range(131_072) if bit_is_set(bits, i)} == positions
