import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isTransientAwsError } from '../shared/aws-errors';
import { ServiceUnavailableError } from '../shared/errors';
import type { CategoryKey, CategoryRecord } from './model';
import { parseStoredCategory } from './schema';
import type { CategoryChanges, CategoryPage, CategoryStore } from './store';
import { CATEGORY_TABLE_KEY } from './table-key';

/**
 * Fail-fast defaults: a DynamoDB call answers in milliseconds from inside the region, so a connection or a request
 * that takes a second is an outage, and the client gets a 503 within about 2 s (2 attempts of 1 s at worst)
 * instead of hanging until the Lambda times out. The SDK's defaults would be no request timeout and more attempts.
 */
export const DYNAMODB_CLIENT_DEFAULTS = {
  maxAttempts: 2,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
} as const;

/**
 * The DynamoDB document client, with fail-fast timeouts. Region, credentials and endpoint come from the usual SDK
 * sources unless `config` overrides them (the SDK itself honours `AWS_ENDPOINT_URL_DYNAMODB`).
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: DYNAMODB_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: DYNAMODB_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: DYNAMODB_CLIENT_DEFAULTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...config,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function isConditionalCheckFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
  );
}

/** `#version IN (:v0, :v1, ...)` and its values. */
function versionCondition(expectedVersions: readonly number[]): { expression: string; values: Record<string, number> } {
  const values: Record<string, number> = {};
  expectedVersions.forEach((version, index) => {
    values[`:v${index}`] = version;
  });
  return { expression: `#version IN (${Object.keys(values).join(', ')})`, values };
}

const KEY = CATEGORY_TABLE_KEY.partitionKey;

/** {@link CategoryStore} on a DynamoDB table keyed by `id`. Transient failures become `ServiceUnavailableError`. */
export class DynamoDbCategoryStore implements CategoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<CategoryRecord | undefined> {
    const output = await this.call(() =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { [KEY]: id }, ConsistentRead: true })),
    );
    return output.Item === undefined ? undefined : parseStoredCategory(output.Item);
  }

  async list(limit: number, startKey?: CategoryKey): Promise<CategoryPage> {
    // One item more than asked for tells whether another page exists, so the last page carries no cursor
    // (a plain Limit scan hands out a cursor whenever the page is full, leading to a final empty page).
    const output = await this.call(() =>
      this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          Limit: limit + 1,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: { [KEY]: startKey.id } }),
        }),
      ),
    );
    const items = (output.Items ?? []).map(parseStoredCategory);
    if (items.length > limit) {
      const page = items.slice(0, limit);
      return { items: page, lastKey: { id: page[page.length - 1].id } };
    }
    // Fewer items than asked for, yet more to come, when DynamoDB stops at its 1 MB page size.
    const last: unknown = output.LastEvaluatedKey?.[KEY];
    return typeof last === 'string' ? { items, lastKey: { id: last } } : { items };
  }

  async insert(record: CategoryRecord): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...record },
            ConditionExpression: 'attribute_not_exists(#id)',
            ExpressionAttributeNames: { '#id': KEY },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async update(
    id: string,
    changes: CategoryChanges,
    expectedVersions?: readonly number[],
  ): Promise<CategoryRecord | undefined> {
    const names: Record<string, string> = {
      '#id': KEY,
      '#name': 'name',
      '#description': 'description',
      '#updatedAt': 'updatedAt',
      '#updatedBy': 'updatedBy',
      '#writeId': 'writeId',
      '#version': 'version',
    };
    const values: Record<string, string | number> = {
      ':name': changes.name,
      ':updatedAt': changes.updatedAt,
      ':updatedBy': changes.updatedBy,
      ':writeId': changes.writeId,
      ':one': 1,
    };
    const set = ['#name = :name', '#updatedAt = :updatedAt', '#updatedBy = :updatedBy', '#writeId = :writeId'];
    set.push('#version = #version + :one');
    let updateExpression: string;
    if (changes.description === undefined) {
      updateExpression = `SET ${set.join(', ')} REMOVE #description`;
    } else {
      values[':description'] = changes.description;
      updateExpression = `SET ${set.join(', ')}, #description = :description`;
    }
    if (expectedVersions?.length === 0) return undefined; // no version can match
    let condition = 'attribute_exists(#id)';
    if (expectedVersions !== undefined) {
      const versions = versionCondition(expectedVersions);
      condition += ` AND ${versions.expression}`;
      Object.assign(values, versions.values);
    }
    try {
      const output = await this.call(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { [KEY]: id },
            UpdateExpression: updateExpression,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return parseStoredCategory(output.Attributes);
    } catch (error) {
      if (isConditionalCheckFailure(error)) return undefined;
      throw error;
    }
  }

  async delete(id: string, expectedVersions?: readonly number[]): Promise<boolean> {
    if (expectedVersions?.length === 0) return false; // no version can match
    const names: Record<string, string> = { '#id': KEY };
    let condition = 'attribute_exists(#id)';
    let values: Record<string, number> | undefined;
    if (expectedVersions !== undefined) {
      const versions = versionCondition(expectedVersions);
      names['#version'] = 'version';
      condition += ` AND ${versions.expression}`;
      values = versions.values;
    }
    try {
      await this.call(() =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { [KEY]: id },
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ...(values === undefined ? {} : { ExpressionAttributeValues: values }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** Runs one SDK call; throttling, 5xx, timeouts and network failures become a 503. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isTransientAwsError(error)) throw new ServiceUnavailableError({ cause: error });
      throw error;
    }
  }
}
