/*
 * Self-test of the verifier harness, independent of our Python issuer: issues
 * an OpenBadgeCredential and its two status lists with Digital Bazaar's
 * libraries (a fresh Ed25519 Multikey controlled by did:web:lms.test), then
 * checks what verifier.mjs (the code behind verify.mjs) says about the valid
 * credential, a tampered one, a revoked one and a suspended one, plus a few
 * failure cases. Also pipes one case through verify.mjs itself.
 * Exits non-zero if any expectation fails.
 *
 * `node selftest.mjs --fixtures` only prints the signed inputs (valid,
 * revoked, suspended) as JSON, for the Python round-trip test.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createCredential, createList} from
  '@digitalbazaar/vc-bitstring-status-list';
import {
  MIN_STATUS_LIST_LENGTH, MULTIKEY_CONTEXT_URL, OB_CONTEXT_URL,
  VC_V2_CONTEXT_URL, createDocumentLoader, verify
} from './verifier.mjs';

const HOST = 'lms.test';
const DID = `did:web:${HOST}`;
const KEY_ID = `${DID}#key-1`;
const REVOCATION_URL = `https://${HOST}/credentials/status/revocation/1`;
const SUSPENSION_URL = `https://${HOST}/credentials/status/suspension/1`;
const REVOCATION_INDEX = '94567';
const SUSPENSION_INDEX = '23452';
const ISSUER = {id: DID, type: ['Profile'], name: 'Integridad LMS (self-test)'};

const keyPair = await Ed25519Multikey.generate({id: KEY_ID, controller: DID});
const {publicKeyMultibase} = await keyPair.export({publicKey: true});

const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', MULTIKEY_CONTEXT_URL],
  id: DID,
  verificationMethod: [{
    id: KEY_ID, type: 'Multikey', controller: DID, publicKeyMultibase
  }],
  assertionMethod: [KEY_ID],
  authentication: [KEY_ID]
};

async function sign(credential, documents) {
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite: eddsaRdfc2022
  });
  return vc.issue({
    credential: structuredClone(credential),
    suite,
    documentLoader: createDocumentLoader({documents})
  });
}

async function statusListCredential({url, statusPurpose, setIndex, length}) {
  const list = await createList({length: length ?? MIN_STATUS_LIST_LENGTH});
  if(setIndex !== undefined) {
    list.setStatus(Number(setIndex), true);
  }
  const unsigned = await createCredential({id: url, list, statusPurpose});
  unsigned.issuer = DID;
  unsigned.validFrom = '2025-01-01T00:00:00Z';
  return sign(unsigned, {[DID]: didDocument});
}

const unsignedBadge = {
  '@context': [VC_V2_CONTEXT_URL, OB_CONTEXT_URL],
  id: `https://${HOST}/credentials/3f2b8c1e-selftest`,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: ISSUER,
  validFrom: '2025-01-15T12:00:00Z',
  name: 'Integrity in public procurement',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: `https://${HOST}/achievements/procurement-integrity`,
      type: ['Achievement'],
      name: 'Integrity in public procurement',
      description: 'Completed the public procurement integrity course.',
      criteria: {narrative: 'Attend the workshops and pass the final exam.'}
    }
  },
  credentialStatus: [{
    id: `${REVOCATION_URL}#${REVOCATION_INDEX}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: REVOCATION_INDEX,
    statusListCredential: REVOCATION_URL
  }, {
    id: `${SUSPENSION_URL}#${SUSPENSION_INDEX}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'suspension',
    statusListIndex: SUSPENSION_INDEX,
    statusListCredential: SUSPENSION_URL
  }]
};

const badge = await sign(unsignedBadge, {[DID]: didDocument});
const cleanRevocation = await statusListCredential(
  {url: REVOCATION_URL, statusPurpose: 'revocation'});
const cleanSuspension = await statusListCredential(
  {url: SUSPENSION_URL, statusPurpose: 'suspension'});

function documents({revocation = cleanRevocation, suspension = cleanSuspension,
  did = didDocument} = {}) {
  return {[DID]: did, [REVOCATION_URL]: revocation, [SUSPENSION_URL]: suspension};
}

const revoked = await statusListCredential({
  url: REVOCATION_URL, statusPurpose: 'revocation', setIndex: REVOCATION_INDEX
});
const suspended = await statusListCredential({
  url: SUSPENSION_URL, statusPurpose: 'suspension', setIndex: SUSPENSION_INDEX
});

if(process.argv.includes('--fixtures')) {
  // For the Python side (tests/verifiers/test_node_vc_selftest.py): signed
  // inputs for verify.mjs, without running the expectations.
  process.stdout.write(JSON.stringify({
    valid: {credential: badge, documents: documents()},
    revoked: {credential: badge, documents: documents({revocation: revoked})},
    suspended: {
      credential: badge, documents: documents({suspension: suspended})
    }
  }) + '\n');
  process.exit(0);
}

let failures = 0;
function expect(name, result, checks) {
  const problems = [];
  for(const [path, want] of Object.entries(checks)) {
    const got = path.split('.').reduce((o, k) => o?.[k], result);
    const ok = typeof want === 'function' ? want(got) :
      JSON.stringify(got) === JSON.stringify(want);
    if(!ok) {
      problems.push(`${path}: got ${JSON.stringify(got)}` +
        (typeof want === 'function' ? '' : `, want ${JSON.stringify(want)}`));
    }
  }
  if(problems.length > 0) {
    failures++;
    console.log(`FAIL ${name}\n  ${problems.join('\n  ')}\n  result: ` +
      JSON.stringify(result));
  } else {
    console.log(`ok   ${name}`);
  }
}
const nonEmpty = errors => Array.isArray(errors) && errors.length > 0;
const mentions = text => errors =>
  nonEmpty(errors) && errors.some(e => e.includes(text));

// 1. valid
expect('valid credential', await verify(
  {credential: badge, documents: documents()}), {
  verified: true, proofVerified: true,
  status: {revocation: false, suspension: false}, errors: []
});

// 2. a field changed after signing
const tampered = structuredClone(badge);
tampered.credentialSubject.achievement.name = 'Something else';
expect('field changed after signing', await verify(
  {credential: tampered, documents: documents()}), {
  verified: false, proofVerified: false, errors: nonEmpty
});

// 3. revocation bit set (list re-signed)
expect('revoked', await verify({
  credential: badge, documents: documents({revocation: revoked})}), {
  verified: true, proofVerified: true,
  status: {revocation: true, suspension: false}, errors: []
});

// 4. suspension bit set (list re-signed)
expect('suspended', await verify({
  credential: badge, documents: documents({suspension: suspended})}), {
  verified: true, proofVerified: true,
  status: {revocation: false, suspension: true}, errors: []
});

// 5. a bit set at another index does not touch this credential
const otherRevoked = await statusListCredential({
  url: REVOCATION_URL, statusPurpose: 'revocation', setIndex: 5
});
expect('other index revoked', await verify({
  credential: badge, documents: documents({revocation: otherRevoked})}), {
  verified: true, status: {revocation: false, suspension: false}
});

// 6. status list changed after signing (revocation bit forged in) → its own
//    proof fails
const forged = structuredClone(cleanRevocation);
forged.credentialSubject.encodedList =
  revoked.credentialSubject.encodedList;
expect('status list altered after signing', await verify({
  credential: badge, documents: documents({revocation: forged})}), {
  verified: false, proofVerified: true,
  status: {revocation: null, suspension: false},
  errors: mentions('BitstringStatusListCredential" not verified')
});

// 7. status list missing from the documents → offline loader refuses
const noList = documents();
delete noList[SUSPENSION_URL];
expect('status list not given (offline)', await verify(
  {credential: badge, documents: noList}), {
  verified: false, proofVerified: true,
  status: {revocation: false, suspension: null},
  errors: mentions('nothing is fetched')
});

// 8. status list shorter than 131,072 entries
const shortList = await statusListCredential(
  {url: REVOCATION_URL, statusPurpose: 'revocation', length: 100000});
expect('status list too short', await verify({
  credential: badge, documents: documents({revocation: shortList})}), {
  verified: false, proofVerified: true, errors: mentions('at least 131072')
});

// 9. DID document with another key → proof does not verify
const otherKey = await Ed25519Multikey.generate({id: KEY_ID, controller: DID});
const otherDid = structuredClone(didDocument);
otherDid.verificationMethod[0].publicKeyMultibase =
  (await otherKey.export({publicKey: true})).publicKeyMultibase;
expect('wrong key in DID document', await verify({
  credential: badge, documents: documents({did: otherDid})}), {
  verified: false, proofVerified: false, errors: nonEmpty
});

// 10. key not authorized for assertionMethod
const noAssertion = structuredClone(didDocument);
noAssertion.assertionMethod = [];
expect('key not in assertionMethod', await verify({
  credential: badge, documents: documents({did: noAssertion})}), {
  verified: false, proofVerified: false, errors: mentions('not authorized')
});

// 11. validFrom in the future: rejected before the proof is looked at by
//     @digitalbazaar/vc; proofVerified still computed on its own
const future = await sign(
  {...unsignedBadge, validFrom: '2999-01-01T00:00:00Z'}, {[DID]: didDocument});
expect('validFrom in the future', await verify(
  {credential: future, documents: documents()}), {
  verified: false, proofVerified: true, errors: mentions('validFrom')
});

// 12. a DID document whose first @context is not https://www.w3.org/ns/did/v1
//     is JSON-LD framed by jsonld-signatures, in safe mode, with the security
//     v2 context (not served here): it must then define every term it uses
const otherContextDid = structuredClone(didDocument);
otherContextDid['@context'] = [MULTIKEY_CONTEXT_URL];
expect('DID document without did/v1 first', await verify({
  credential: badge, documents: documents({did: otherContextDid})}), {
  verified: false, proofVerified: false, errors: mentions('assertionMethod')
});

// 13. the CLI: verify.mjs over stdin/stdout, revoked case
const here = fileURLToPath(new URL('.', import.meta.url));
const cli = spawnSync(process.execPath, ['verify.mjs'], {
  cwd: here,
  input: JSON.stringify(
    {credential: badge, documents: documents({revocation: revoked})}),
  encoding: 'utf8'
});
let cliResult = {exitCode: cli.status, stderr: cli.stderr};
try {
  cliResult = {...cliResult, ...JSON.parse(cli.stdout)};
} catch(e) {
  cliResult.stdout = cli.stdout;
}
expect('verify.mjs CLI (revoked)', cliResult, {
  exitCode: 0, verified: true, proofVerified: true,
  status: {revocation: true, suspension: false}, errors: []
});

if(failures > 0) {
  console.log(`selftest: ${failures} expectation(s) failed`);
  process.exitCode = 1;
} else {
  console.log('selftest: all expectations met');
}
