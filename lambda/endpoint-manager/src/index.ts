/**
 * Lambda entry point. Settings are validated at cold start so a misconfigured function fails at
 * init with a clear message instead of half-working on events.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { AwsAdapter } from './aws';
import { createHandler, type HandlerResult } from './handler';
import { loadSettings } from './settings';

// POWERTOOLS_SERVICE_NAME (set by the Terraform side) names the service; the fallback keeps local runs readable.
const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'mwaa-endpoint-manager' });
const settings = (() => {
  try {
    return loadSettings(process.env);
  } catch (error) {
    logger.critical('Invalid configuration; the function cannot start', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
})();
const handle = createHandler({ settings, aws: new AwsAdapter(settings), logger });

export async function handler(event: unknown, context: Context): Promise<HandlerResult> {
  logger.addContext(context);
  return handle(event, context);
}
