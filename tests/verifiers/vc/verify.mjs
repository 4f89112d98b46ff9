/*
 * stdin:  {"credential": {...}, "documents": {"<url or did>": {...}, ...},
 *          "now": "<optional ISO date-time to verify at>"}
 * stdout: {"verified": bool, "proofVerified": bool,
 *          "status": {"revocation": bool|null, "suspension": bool|null},
 *          "errors": [string, ...]}
 * Exit code 0 whenever that JSON could be produced; 2 on unusable input.
 * Fully offline: see verifier.mjs for what the document loader serves.
 */
import {verify} from './verifier.mjs';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch(e) {
    process.stderr.write(`verify.mjs: stdin is not JSON: ${e.message}\n`);
    return 2;
  }
  if(!(input && typeof input === 'object' && !Array.isArray(input) &&
    input.credential && typeof input.credential === 'object')) {
    process.stderr.write(
      'verify.mjs: expected {"credential": {...}, "documents": {...}}\n');
    return 2;
  }
  const {credential, documents = {}, now} = input;
  if(!(documents && typeof documents === 'object' &&
    !Array.isArray(documents))) {
    process.stderr.write('verify.mjs: "documents" must be an object\n');
    return 2;
  }
  let output;
  try {
    output = await verify({credential, documents, now});
  } catch(e) {
    // unexpected failure inside the verifier itself: still answer in JSON
    output = {
      verified: false,
      proofVerified: false,
      status: {revocation: null, suspension: null},
      errors: [`verifier crashed: ${e?.stack ?? e}`]
    };
  }
  process.stdout.write(JSON.stringify(output) + '\n');
  return 0;
}

process.exitCode = await main();
