/** A synth output or a synthesized stack that cannot be read, or does not hold what was asked of it. */
export class SynthOutputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SynthOutputError';
  }
}

/** A synthesis that failed: the app threw (a stack's check, a bundle esbuild could not build, a syntax error). */
export class SynthError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SynthError';
  }
}
