// Runs before every test file.
import './cross-realm-errors';

// Keep test output readable: the Lambda's structured logs are asserted on where they matter, not printed.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
// The SDK warns once per process that Node.js 20 will lose support; the Lambda runtime is Node.js 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
