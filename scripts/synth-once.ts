/**
 * Synthesizes every stack once into the folder given as the first argument and prints, as JSON, how long the
 * synthesis took and the process's peak memory. `npm run bench` runs it in fresh processes.
 */
import { synthesize } from '../synth/synthesize';

const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: synth-once <outdir>');
  process.exit(2);
}
const start = process.hrtime.bigint();
const stacks = synthesize(outdir);
const synthMs = Number(process.hrtime.bigint() - start) / 1e6;
// maxRSS is in kilobytes.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ stacks: stacks.length, synthMs, peakRssMb }));
