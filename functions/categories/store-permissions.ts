/**
 * The DynamoDB actions `DynamoDbCategoryStore` calls, for a least-privilege IAM policy on the table. A test
 * records the operations the store actually sends and compares them with this list, so keep the two in step.
 */
export const CATEGORY_STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

export type CategoryStoreAction = (typeof CATEGORY_STORE_ACTIONS)[number];
