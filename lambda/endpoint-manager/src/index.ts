/**
 * Lambda entry point. Settings are validated at cold start so a misconfigured function fails at
 * init with a clear message instead of half-working on events.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { AwsAdapter } from './aws';
import { createHandler, type HandlerResult } from './handler';
import { loadSettings } from './settings';

const logger = new Logger({ serviceName: 'mwaa-endpoint-manager' });
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
