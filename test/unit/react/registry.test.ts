import { describe, expect, it } from 'vitest';
import { createRegistry, HandlerDefinitionError } from '../../../lib/react/registry';
import type { HandlerMap } from '../../../lib/react/handler';

const run = async () => {};
const refusal = (map: unknown) => {
  try {
    createRegistry(map as HandlerMap);
  } catch (error) {
    expect(error).toBeInstanceOf(HandlerDefinitionError);
    return (error as Error).message;
  }
  throw new Error('the registry accepted it');
};

describe('createRegistry refuses a malformed handlers module with the place and the rule', () => {
  it.each([
    [{ NewFileUpload: [{ name: 'has space', run }] }, `handlers['NewFileUpload'][0].name must be 1-64 letters`],
    [{ NewFileUpload: [{ name: 'forward', run }] }, `'forward' is reserved for the built-in forwarding (FORWARD_URL)`],
    [{ '*': [{ name: 'x' }] }, `handlers['*'][0] (x) has no run() function`],
    [{ '*': [{ name: 'x', run, orderBy: 'task' }] }, `.orderBy must be 'file' or absent`],
    [{ '*': [{ name: 'x', run, timeoutMs: 0 }] }, `.timeoutMs must be a positive whole number`],
    [{ '*': [{ name: 'x', run }], FileDeleted: [{ name: 'x', run: async () => {} }] }, `two different handlers are named 'x'`],
    [{ '*': { name: 'x', run } }, `handlers['*'] must be an array of handlers`],
  ])('%#: %j', (map, message) => {
    expect(refusal(map)).toContain(message);
  });

  it('accepts one handler under several types, once, and answers which types it handles', () => {
    const handler = { name: 'ready', run };
    const registry = createRegistry({ ProcedureStateChanged: [handler], TranscodeComplete: [handler] });
    expect(registry.handlers.map(({ name, eventTypes }) => ({ name, eventTypes }))).toEqual([
      { name: 'ready', eventTypes: ['ProcedureStateChanged', 'TranscodeComplete'] },
    ]);
    expect([registry.handles('TranscodeComplete'), registry.handles('FileDeleted')]).toEqual([true, false]);
  });
});
