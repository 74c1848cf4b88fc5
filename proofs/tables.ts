/**
 * Reading the local DynamoDB directly (not through the API): every item of every table, for the proofs that check
 * what was stored.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/environment';

/** One DynamoDB item, as stored. */
export type Item = Record<string, AttributeValue>;

/** Every table, in the order DynamoDB lists them, with all its items (consistent reads, in scan order). */
export async function scanTables(endpoint: string): Promise<Array<[table: string, items: Item[]]>> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    const tables: Array<[string, Item[]]> = [];
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    for (const table of TableNames) {
      const items: Item[] = [];
      let start: Item | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      tables.push([table, items]);
    }
    return tables;
  } finally {
    client.destroy();
  }
}
