/**
 * Packages the Lambda Node.js runtime (nodejs22.x) provides to every function: the AWS SDK for JavaScript v3
 * ("Building Lambda functions with Node.js", AWS Lambda Developer Guide: the runtime includes the SDK v3).
 */
export const RUNTIME_PROVIDED_MODULES: readonly string[] = ['@aws-sdk/*'];
