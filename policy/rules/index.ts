import type { Rule } from '../types';
import { apiGatewayAccessLogging } from './api-gateway-access-logging';
import { apiGatewayAuthorization } from './api-gateway-authorization';
import { apiGatewayCaching } from './api-gateway-caching';
import { apiGatewayDeploymentCreateBeforeDestroy } from './api-gateway-deployment';
import { apiGatewayMethodSettings } from './api-gateway-method-settings';
import { apiGatewayRequestValidation } from './api-gateway-request-validation';
import { apiGatewayThrottling } from './api-gateway-throttling';
import { apiGatewayKeysInThrottledPlans, apiGatewayMethodsRequireKeys } from './api-gateway-usage-plans';
import { apiGatewayWaf } from './api-gateway-waf';
import { apiGatewayXray } from './api-gateway-xray';
import {
  cognitoAccessTokenValidity,
  cognitoClientCredentialsOnly,
  cognitoClientSecret,
  cognitoTokenRevocation,
} from './cognito-m2m-client';
import { dynamodbEncryption } from './dynamodb-encryption';
import { dynamodbPointInTimeRecovery } from './dynamodb-point-in-time-recovery';
import { iamPrivilegedManagedPolicies } from './iam-admin-policies';
import { iamWildcardActions } from './iam-wildcard-actions';
import { iamWildcardResources } from './iam-wildcard-resources';
import { kmsKeyRotation } from './kms-key-rotation';
import { lambdaReservedConcurrency } from './lambda-concurrency';
import { lambdaEnvironmentSecrets } from './lambda-environment-secrets';
import { lambdaPermissionSourceArn } from './lambda-permission';
import { lambdaRuntime } from './lambda-runtime';
import { lambdaTracing } from './lambda-tracing';
import { logGroupRetention } from './log-group-retention';
import {
  apiGatewayStageAlarms,
  cognitoTokenRequestAlarm,
  dynamodbTableAlarms,
  lambdaFunctionAlarms,
} from './operations-alarms';
import { stageDashboard } from './operations-dashboard';
import { s3DefaultEncryption } from './s3-encryption';
import { s3HasPublicAccessBlock, s3PublicAccessBlockFlags } from './s3-public-access-block';
import { s3TlsOnly } from './s3-tls-only';
import { secretsManagerCustomerManagedKey, secretsManagerRecoveryWindow } from './secrets-manager';
import { s3Versioning } from './s3-versioning';
import { snsTopicEncryption } from './sns-encryption';

/** Every rule of the gate, in report order. */
export const RULES: readonly Rule[] = [
  // API Gateway
  apiGatewayAuthorization,
  apiGatewayXray,
  apiGatewayAccessLogging,
  apiGatewayMethodSettings,
  apiGatewayThrottling,
  apiGatewayDeploymentCreateBeforeDestroy,
  apiGatewayRequestValidation,
  apiGatewayWaf,
  apiGatewayCaching,
  apiGatewayMethodsRequireKeys,
  apiGatewayKeysInThrottledPlans,
  // Lambda
  lambdaTracing,
  lambdaReservedConcurrency,
  lambdaRuntime,
  lambdaPermissionSourceArn,
  lambdaEnvironmentSecrets,
  // IAM
  iamWildcardActions,
  iamWildcardResources,
  iamPrivilegedManagedPolicies,
  // Data and logs
  dynamodbPointInTimeRecovery,
  dynamodbEncryption,
  logGroupRetention,
  // S3 (the state bucket)
  s3Versioning,
  s3DefaultEncryption,
  s3HasPublicAccessBlock,
  ...s3PublicAccessBlockFlags,
  s3TlsOnly,
  // Cognito
  cognitoClientCredentialsOnly,
  cognitoClientSecret,
  cognitoAccessTokenValidity,
  cognitoTokenRevocation,
  // Operations: alarms that reach someone, and a dashboard per stage
  apiGatewayStageAlarms,
  lambdaFunctionAlarms,
  dynamodbTableAlarms,
  cognitoTokenRequestAlarm,
  snsTopicEncryption,
  stageDashboard,
  // Consumer secrets
  secretsManagerCustomerManagedKey,
  secretsManagerRecoveryWindow,
  kmsKeyRotation,
];
