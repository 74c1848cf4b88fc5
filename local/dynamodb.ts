/**
 * The local DynamoDB: dynalite on loopback, persisted in a folder (LevelDB) or in memory, with the synthesized
 * tables created when they are missing (a restart keeps tables and items).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { LOCAL_CREDENTIALS } from './environment';
import { LocalStackError } from './errors';
import type { ReferenceResolver } from './reference-resolver';

// The SDK warns once per process that Node.js 20 will lose support; Lambda runs Node.js 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TableDefinition {
  readonly address: string;
  readonly input: CreateTableCommandInput;
}

type Config = Record<string, unknown>;

function keySchema(hashKey: unknown, rangeKey: unknown): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: String(hashKey), KeyType: 'HASH' }];
  if (typeof rangeKey === 'string') schema.push({ AttributeName: rangeKey, KeyType: 'RANGE' });
  return schema;
}

function projection(index: Config): { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] } {
  const type = (index.projection_type ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  const nonKey = index.non_key_attributes as string[] | undefined;
  return nonKey && nonKey.length > 0 ? { ProjectionType: type, NonKeyAttributes: nonKey } : { ProjectionType: type };
}

/** The CreateTable input of every `aws_dynamodb_table` (keys, attributes, indexes, billing). */
export function describeTables(stack: SynthesizedStackConfig, resolver: ReferenceResolver): TableDefinition[] {
  return stack.resources('aws_dynamodb_table').map((table) => {
    const config = table.config;
    const where = table.address;
    const provisioned = config.billing_mode === 'PROVISIONED';
    const throughput = provisioned
      ? { ReadCapacityUnits: Number(config.read_capacity ?? 1), WriteCapacityUnits: Number(config.write_capacity ?? 1) }
      : undefined;
    const attributes = ((config.attribute ?? []) as Config[]).map((a): AttributeDefinition => ({
      AttributeName: String(a.name),
      AttributeType: a.type as 'S' | 'N' | 'B',
    }));
    const gsis = ((config.global_secondary_index ?? []) as Config[]).map((index) => ({
      IndexName: String(index.name),
      KeySchema: keySchema(index.hash_key, index.range_key),
      Projection: projection(index),
      ...(provisioned
        ? {
            ProvisionedThroughput: {
              ReadCapacityUnits: Number(index.read_capacity ?? 1),
              WriteCapacityUnits: Number(index.write_capacity ?? 1),
            },
          }
        : {}),
    }));
    const lsis = ((config.local_secondary_index ?? []) as Config[]).map((index) => ({
      IndexName: String(index.name),
      KeySchema: keySchema(config.hash_key, index.range_key),
      Projection: projection(index),
    }));
    if (typeof config.hash_key !== 'string') throw new LocalStackError(`${where}: hash_key is required.`);
    return {
      address: where,
      input: {
        TableName: resolver.string(config.name, `${where}.name`),
        KeySchema: keySchema(config.hash_key, config.range_key),
        AttributeDefinitions: attributes,
        BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
        ...(throughput ? { ProvisionedThroughput: throughput } : {}),
        ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
        ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
      },
    };
  });
}

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates the tables that do not exist yet (a reload's new tables); refuses one whose key schema differs. */
  ensureTables(tables: readonly TableDefinition[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (any free port), in a worker thread so that DynamoDB work does not compete with
 * the gateway for the main event loop, and creates the tables that do not exist yet. A persisted table whose
 * key schema differs from the stack's is refused: the data would not fit the code.
 */
export async function startDynamoDb(options: {
  readonly dataDir: string | undefined;
  readonly region: string;
  readonly tables: readonly TableDefinition[];
  /** Port on 127.0.0.1 (to start again where a stopped one listened). @default any free port */
  readonly port?: number;
}): Promise<LocalDynamoDb> {
  if (options.dataDir !== undefined) fs.mkdirSync(options.dataDir, { recursive: true });
  const worker = new Worker(path.join(__dirname, 'dynalite-worker.cjs'), {
    workerData: { path: options.dataDir, port: options.port ?? 0 },
    env: { AWS_REGION: options.region },
    execArgv: [], // plain Node.js: not the TypeScript loader the parent may run under
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new LocalStackError(`The local DynamoDB stopped while starting (exit code ${code}).`)),
    );
    worker.once('message', (message: { type: string; port?: number; message?: string }) => {
      if (message.type === 'listening' && message.port !== undefined) resolve(message.port);
      else reject(new LocalStackError(`The local DynamoDB could not start: ${message.message ?? message.type}`));
    });
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', () => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    // A graceful close releases the LevelDB lock, so the same folder can be opened again in this process.
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (message: { type: string }) => message.type === 'stopped' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage('stop');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    await worker.terminate();
  };
  const ensureTables = async (tables: readonly TableDefinition[]): Promise<void> => {
    for (const table of tables) await ensureTable(client, table, options.dataDir);
  };
  try {
    await ensureTables(options.tables);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, ensureTables, stop };
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition, dataDir: string | undefined): Promise<void> {
  const name = table.input.TableName as string;
  let existing;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    const type = (error as Error).name;
    if (type !== 'ResourceNotFoundException') {
      throw new LocalStackError(
        `Cannot use the local DynamoDB data${dataDir ? ` in ${dataDir}` : ''}: ${(error as Error).message}. ` +
          'Is another local stack using it? Stop it, or pass --data-dir <other folder> or --in-memory.',
      );
    }
  }
  if (!existing) {
    await client.send(new CreateTableCommand(table.input));
    return;
  }
  const key = (schema: readonly KeySchemaElement[] | undefined): string =>
    JSON.stringify((schema ?? []).map((k) => [k.AttributeName, k.KeyType]));
  if (key(existing.KeySchema) !== key(table.input.KeySchema)) {
    throw new LocalStackError(
      `${table.address}: table ${name} in ${dataDir} has key ${key(existing.KeySchema)}, but the stack defines ` +
        `${key(table.input.KeySchema)}. Delete ${dataDir} (its data is for another schema) or use --in-memory.`,
    );
  }
}
