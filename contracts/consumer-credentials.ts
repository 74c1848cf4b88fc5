/**
 * The hand-off contract between the platform and a consumer: what one credential generation's Secrets Manager
 * secret holds (its `SecretString`, JSON). The stack writes it (`stacks/constructs/consumer-credentials.ts`, with
 * `import type` so synth does not load zod) and a consumer's credentials source parses it with
 * {@link parseConsumerCredentials}. One schema, so writer and reader cannot drift apart.
 *
 * `version` changes only with an incompatible shape; fields added later are optional, and readers ignore fields
 * they do not know.
 */
import { z } from 'zod';

export const consumerCredentialsSchema = z.object({
  /** The shape's version. */
  version: z.literal(1),
  /** The consumer's name in the registry, e.g. `catalog-reader`. */
  consumer: z.string().min(1),
  /** The credential generation this secret belongs to (the app client's name ends with it). */
  generation: z.number().int().positive(),
  /** The Cognito app client id. */
  clientId: z.string().min(1),
  /** The app client's secret. */
  clientSecret: z.string().min(1),
  /** `https://<domain>.auth.<region>.amazoncognito.com/oauth2/token` */
  tokenUrl: z.url(),
  /** The API stage's base URL, without a trailing slash, e.g. `https://abc.execute-api.us-east-1.amazonaws.com/dev`. */
  apiUrl: z.url(),
  /** Full scope strings the client may request (`access_points/read`): a token request without `scope` gets all. */
  scopes: z.array(z.string().min(1)).min(1),
  /** The API key to send as `x-api-key`: present when the stage has usage plans on. */
  apiKey: z.string().min(1).optional(),
});

export type ConsumerCredentials = z.infer<typeof consumerCredentialsSchema>;

/**
 * Parses a secret's `SecretString`; a malformed one is an error naming `source` and every problem — never the
 * secret's content (JSON.parse's own message quotes it).
 */
export function parseConsumerCredentials(secretString: string, source: string): ConsumerCredentials {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    throw new Error(`${source} does not hold consumer credentials: its value is not JSON.`);
  }
  const parsed = consumerCredentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source} does not hold valid consumer credentials:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
