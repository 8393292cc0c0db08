import { describe, expect, it } from 'vitest';
import { signCallbackBody } from '../../../../tools/emulator/pusher';

describe('Function: signCallbackBody', () => {
  it('adds T = now + ttl in decimal Unix seconds and Sign = hex MD5(key + T) to the body', () => {
    // Act
    const body = signCallbackBody({ EventType: 'NewFileUpload' }, 'key123', 1_700_000_000_999, 600);

    // Assess
    // Fixed vector: `printf key1231700000600 | md5sum`.
    expect(body).toEqual({ EventType: 'NewFileUpload', T: 1_700_000_600, Sign: '4ccf348c4b30b7d88c472d03383e43a3' });
  });
});
