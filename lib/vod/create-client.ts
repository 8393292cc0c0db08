import type { Clock } from '../clock';
import { DEFAULTS, type Config } from '../config';
import { ConfigError } from '../errors';
import type { VodQueueClient } from './queue-client';
import { createV2Client, V2_DEFAULT_ENDPOINT } from './v2-client';
import { createV3Client } from './v3-client';

/** The queue client `VOD_API` asks for, with the credentials SCF's execution role injected. */
export function createVodQueueClient(config: Config, clock: Clock): VodQueueClient {
  const { secretId, secretKey, sessionToken } = config.credentials;
  if (!secretId || !secretKey) {
    throw new ConfigError([
      {
        variable: 'TENCENTCLOUD_SECRETID',
        problem:
          'VOD credentials are missing: give the function an execution role, or set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY',
      },
    ]);
  }
  const settings = { endpoint: config.vodEndpoint, secretId, secretKey, sessionToken, subAppId: config.subAppId };
  if (config.vodApi === 'v3') return createV3Client(settings);
  const endpoint = config.vodEndpoint === DEFAULTS.vodEndpoint ? V2_DEFAULT_ENDPOINT : config.vodEndpoint;
  return createV2Client({ ...settings, endpoint }, config.vodApi, clock);
}
