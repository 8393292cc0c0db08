import type { Config } from '../../lib/config';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../lib/runtime';
import handlers from '../../handlers';
import { openPglite } from '../embedded-store/pglite-client';

/**
 * The runtime of a local command: as the functions', plus the embedded store when DATABASE_URL is
 * unset. The handlers of handlers/index.ts are the functions' too, so events stored locally get
 * the same runs.
 */
export const localRuntime = (config: Config, options: RuntimeOptions = {}): Runtime =>
  createRuntime(config, { openEmbedded: openPglite, handlers, ...options });
