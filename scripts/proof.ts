/**
 * `npm run proof:load|proof:hostile|proof:faults [-- --flag n ...]`, i.e. `tsx scripts/proof.ts <proof> [--flag n ...]`
 * with `mixed-load`, `hostile-input` or `faults` (see `proofs/`): runs the proof against a local stack of its own,
 * prints its figures, writes `.build/proofs/<proof>.json`, and exits 1 when a rule was broken.
 */
import { PROOFS } from '../proofs';
import { numberFlags } from '../proofs/proof';
import { writeProofReport } from '../proofs/support';

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const proof = PROOFS.find((candidate) => candidate.name === name);
  if (!proof) {
    throw new Error(`Usage: tsx scripts/proof.ts <${PROOFS.map((p) => p.name).join('|')}> [--flag n ...]`);
  }
  if (Object.keys(proof.flags).length === 0 && argv.length > 0) {
    throw new Error(`Usage: tsx scripts/proof.ts ${proof.name} (no options)`);
  }
  const { report, figures, verdict } = await proof.run(numberFlags(argv, proof.flags));
  console.log(figures);
  console.log(`figures in ${writeProofReport(proof.name, report)}`);
  if (verdict.violationCount > 0) {
    console.error(
      `${proof.label} FAILED: ${verdict.violationCount} violation(s):\n  ${verdict.violations.join('\n  ')}`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
