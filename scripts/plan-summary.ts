/**
 * `terraform show -json tfplan | npx tsx scripts/plan-summary.ts <title>`: prints the plan's summary as Markdown
 * (CI writes it to the job summary).
 */
import { summarizePlan } from '../synth/plan-summary';

const chunks: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
process.stdin.on('end', () => {
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    process.stdout.write(summarizePlan(process.argv[2] ?? 'Terraform plan', JSON.parse(text) as object));
  } catch {
    console.error('plan-summary: standard input is not the JSON of `terraform show -json <planfile>`.');
    process.exit(1);
  }
});
