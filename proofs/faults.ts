/**
 * Proofs under faults, on 127.0.0.1 only:
 *
 * (a) DynamoDB stops in the middle of a run and comes back. While it is down every route answers 503 JSON with
 *     `Retry-After` within a few seconds (never another 5xx, never a hang); nothing is half-written; a POST made
 *     while it was down is not there afterwards; the API recovers once it is back; what was written before the
 *     outage is intact (the stack keeps DynamoDB in a temporary data folder, so a restart keeps the data).
 * (b) The token endpoint is unreachable (nothing listening, a connection reset, an endpoint that never answers):
 *     `ClientCredentialsTokenProvider.getToken()` fails quickly with `TokenEndpointUnreachableError` naming the
 *     URL, the failure is not cached, and once the endpoint is back the same provider gets a token that works.
 *
 *   npm run proof:faults
 *
 * Starts its own local stack (temporary data folder, free port), runs both, prints the figures, exits 1 on a
 * violation.
 *
 * The parts live in `faults/`: (a) in `dynamodb-outage.ts` (seeding, traffic, checks of the answers and of the
 * stored data in the `outage-*` files), (b) in `token-outage.ts` (with the loopback servers of `loopback.ts`).
 */
import { runDynamoDbOutage } from './faults/dynamodb-outage';
import { formatOutage, type OutageResult } from './faults/outage-result';
import { formatTokenOutage, runTokenEndpointOutage, type TokenOutageResult } from './faults/token-outage';
import { defineProof } from './proof';
import { combinedVerdict, startProofStack, type ProofVerdict } from './support';

export { ANSWER_WITHIN_MS } from './faults/answer-bound';
export { runDynamoDbOutage } from './faults/dynamodb-outage';
export { formatOutage, type OutageResult } from './faults/outage-result';
export { formatTokenOutage, runTokenEndpointOutage, type TokenOutageResult } from './faults/token-outage';

/** Starts a local stack of its own (DynamoDB in a data folder), runs (a) then (b) against it, and stops it. */
async function faultsLocalStack(): Promise<{ outage: OutageResult; token: TokenOutageResult; answers: ProofVerdict }> {
  const proof = await startProofStack({ persist: true, checkAnswers: true });
  try {
    const outage = await runDynamoDbOutage(proof.stack);
    const token = await runTokenEndpointOutage(proof.stack);
    const { violations } = proof.answers;
    return { outage, token, answers: { violationCount: violations.count, violations: violations.messages } };
  } finally {
    await proof.stop();
  }
}

export const faultsProof = defineProof({
  name: 'faults',
  label: 'FAULTS',
  flags: {},
  run: faultsLocalStack,
  format: ({ outage, token }) => `${formatOutage(outage)}\n${formatTokenOutage(token)}`,
  verdict: ({ outage, token, answers }) => combinedVerdict(outage, token, answers),
});
