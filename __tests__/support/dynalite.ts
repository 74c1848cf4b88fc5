import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CATEGORY_TABLE_KEY } from '../../functions/categories/table-key';
import { LOCAL_CREDENTIALS } from '../../local/environment';

/** dynalite has no type declarations: this is the part used here. */
type CreateDynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an import of a module without types fails tsc
const createDynalite = require('dynalite') as CreateDynalite;

export { LOCAL_CREDENTIALS };
export const LOCAL_REGION = 'us-east-1';

export interface KeySchema {
  readonly partitionKey: string;
  readonly type: 'S' | 'N' | 'B';
}

export interface DynaliteOptions {
  /** Table to create (at least 3 characters, as in DynamoDB). @default 'categories' */
  readonly tableName?: string;
  /** Create the table on start. @default true */
  readonly createTable?: boolean;
  /** Key schema of the table. @default CATEGORY_TABLE_KEY */
  readonly key?: KeySchema;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly tableName: string;
  /** A low-level client for the endpoint (e.g. for setup and assertions). */
  readonly client: DynamoDBClient;
  /** Creates (another) table with the given key schema, immediately ACTIVE. */
  createTable(tableName: string, key?: KeySchema): Promise<void>;
  /** Closes the client, all connections and the server; the in-memory data is gone. */
  stop(): Promise<void>;
}

/**
 * Starts an in-memory dynalite server inside this process, on a free loopback port, and (by default) creates one
 * table with the categories key schema.
 */
export async function startDynalite(options: DynaliteOptions = {}): Promise<RunningDynalite> {
  const tableName = options.tableName ?? 'categories';
  const server = createDynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

  const createTable = async (name: string, key: KeySchema = CATEGORY_TABLE_KEY): Promise<void> => {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: key.partitionKey, AttributeType: key.type }],
        KeySchema: [{ AttributeName: key.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    await new Promise<void>((resolve, reject) => {
      server.close((error?: Error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  };

  try {
    if (options.createTable ?? true) await createTable(tableName, options.key);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, tableName, client, createTable, stop };
}
