/**
 * A proof as its command line runs it (`npm run proof:load|proof:hostile|proof:faults`, through
 * `scripts/proof.ts`): its name, its numeric flags, and a run that yields the figures to print, the report to write
 * and the verdict.
 */
import type { ProofVerdict } from './support';

/** A numeric command-line flag: its default and the range it accepts. */
export interface NumberFlag {
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/** What one run of a proof yields. */
export interface ProofRun {
  /** What `.build/proofs/<name>.json` holds. */
  readonly report: unknown;
  /** The figures to print. */
  readonly figures: string;
  readonly verdict: ProofVerdict;
}

export interface Proof {
  /** Names the proof on the command line and its report (`.build/proofs/<name>.json`). */
  readonly name: string;
  /** How the failure line names the proof, e.g. `MIXED LOAD`. */
  readonly label: string;
  /** Its numeric flags (see {@link numberFlags}); with none, any argument is refused. */
  readonly flags: Readonly<Record<string, NumberFlag>>;
  run(flags: Readonly<Record<string, number>>): Promise<ProofRun>;
}

/** A proof from its typed parts: `run` gets its own flags; `format` and `verdict` read its own result. */
export function defineProof<K extends string, R>(definition: {
  readonly name: string;
  readonly label: string;
  readonly flags: Readonly<Record<K, NumberFlag>>;
  readonly run: (flags: Readonly<Record<K, number>>) => Promise<R>;
  readonly format: (result: R) => string;
  readonly verdict: (result: R) => ProofVerdict;
}): Proof {
  return {
    name: definition.name,
    label: definition.label,
    flags: definition.flags,
    run: async (flags) => {
      const result = await definition.run(flags);
      return { report: result, figures: definition.format(result), verdict: definition.verdict(result) };
    },
  };
}

/**
 * `--name value` / `--name=value` flags of a CLI, each a number within [min, max]; unknown flags are refused.
 */
export function numberFlags<K extends string>(
  argv: readonly string[],
  spec: Readonly<Record<K, NumberFlag>>,
): Record<K, number> {
  const values = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, (v as NumberFlag).fallback])) as Record<
    K,
    number
  >;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const name = flag.replace(/^--/, '') as K;
    if (!flag.startsWith('--') || !Object.hasOwn(spec, name)) {
      throw new Error(
        `Unknown option ${argv[i]}. Options: ${Object.keys(spec)
          .map((k) => `--${k} <n>`)
          .join(' ')}`,
      );
    }
    const text = inline ?? argv[++i];
    const value = Number(text);
    const { min, max } = spec[name];
    if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new Error(`--${name} needs a number from ${min} to ${max} (got ${text ?? 'nothing'}).`);
    }
    values[name] = value;
  }
  return values;
}
