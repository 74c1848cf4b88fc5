/**
 * Problems the local stack reports on purpose, each saying what is wrong and what to do: a synthesized
 * configuration it cannot serve, start-up options or an environment it cannot use. Reported at start-up; anything
 * else thrown from `local/` is a bug.
 */
export class LocalStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}
