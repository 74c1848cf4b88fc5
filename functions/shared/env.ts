/**
 * Reads a required environment variable, failing fast (at module load, i.e. during the Lambda init phase) with a
 * message that says what is missing, instead of failing later with an obscure SDK error.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `Environment variable ${name} is required but is not set (or is empty). ` +
        'Set it in the function configuration.',
    );
  }
  return value;
}

/** Reads an optional environment variable; empty values count as unset. */
export function optionalEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}
