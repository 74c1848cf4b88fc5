import { Logger } from '@aws-lambda-powertools/logger';
import { optionalEnv } from './env';

/**
 * Structured JSON logger. The service name comes from `POWERTOOLS_SERVICE_NAME` when set, otherwise from
 * `defaultServiceName`; the level from `POWERTOOLS_LOG_LEVEL` (Powertools reads it itself).
 */
export function createLogger(defaultServiceName: string): Logger {
  return new Logger({ serviceName: optionalEnv('POWERTOOLS_SERVICE_NAME', defaultServiceName) });
}
