import { callbackHandlerFromEnv } from './handler';

/**
 * SCF entry point (`index.main_handler`) behind the API-gateway trigger. Built once per instance
 * so warm invocations reuse the store's connections; the store itself opens on first use.
 */
export const main_handler = callbackHandlerFromEnv(process.env);
