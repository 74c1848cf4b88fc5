/**
 * The proofs under load, hostile input and faults, each against a local stack of its own on 127.0.0.1. `npm test`
 * and `npm run proofs` run their jest suites (`proofs/*.test.ts`); `npm run proof:load|proof:hostile|proof:faults`
 * runs one through `scripts/proof.ts`, with its figures.
 */
import { faultsProof } from './faults';
import { hostileInputProof } from './hostile-input';
import { mixedLoadProof } from './mixed-load';
import type { Proof } from './proof';

/** Every proof, by the name its command line and its report take. */
export const PROOFS: readonly Proof[] = [mixedLoadProof, hostileInputProof, faultsProof];
