import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from '../../../../tools/http/read-body';

// readBody only listens to the stream events an IncomingMessage shares with any Readable.
const requestOf = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk))) as IncomingMessage;

describe('Function: readBody', () => {
  it('returns a body within the limit whole', async () => {
    expect((await readBody(requestOf('ab', 'cd'), 4)).toString()).toBe('abcd');
  });

  it('keeps one byte past the limit, so the caller sees the body was too large', async () => {
    expect((await readBody(requestOf('ab', 'cdef', 'gh'), 3)).toString()).toBe('abcd');
  });
});
