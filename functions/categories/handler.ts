import type { APIGatewayProxyHandler } from 'aws-lambda';
import { optionalEnv, requireEnv } from '../shared/env';
import { createLogger } from '../shared/logger';
import { createHandler } from './app';
import { createDocumentClient, DynamoDbCategoryStore } from './dynamodb-store';

// Created once per execution environment (Lambda init phase), reused across invocations.
const logger = createLogger('categories');
const store = new DynamoDbCategoryStore(createDocumentClient(), requireEnv('TABLE_NAME'));

/** GET/POST /categories, GET/PUT/DELETE /categories/{id}. */
export const handler: APIGatewayProxyHandler = createHandler({
  store,
  logger,
  corsAllowOrigin: optionalEnv('CORS_ALLOW_ORIGIN', '') || undefined,
});
