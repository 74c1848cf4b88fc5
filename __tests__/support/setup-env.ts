// Keep test output readable: the Lambda's structured logs are asserted on where they matter, not printed.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
