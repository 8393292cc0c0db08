import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand, numberFlag, UsageError, writeLine } from '../../../../tools/cli/command';
import { main } from '../../../../tools/cli/main';
import { captureIo } from '../../../helpers/cli-io';

const example = defineCommand({
  name: 'example',
  summary: 'a command for these tests',
  help: 'Usage: example [--limit N] [--json]',
  options: { limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, { env, stdout }) {
    writeLine(stdout, `${numberFlag(values, 'limit', { min: 1, max: 10 }, 5)} ${values.json === true} ${env.GREETING}`);
    return 0;
  },
});

describe('defineCommand', () => {
  it('types the parsed flags from the flag definitions', () => {
    type Values = Parameters<typeof example.run>[0]['values'];
    expectTypeOf<Values>().toEqualTypeOf<{ limit?: string; json?: boolean }>();
    // @ts-expect-error numberFlag only takes a flag the command defines
    expect(() => numberFlag({ limit: '3' } as Values, 'limt', { min: 1, max: 10 }, 5)).not.toThrow();
  });

  it('runs with the env and streams it is given', async () => {
    const { io, out } = captureIo({ GREETING: 'hello' });
    expect(await example.run({ values: { limit: '3', json: true }, positionals: [] }, io)).toBe(0);
    expect(out()).toBe('3 true hello');
  });

  it('numberFlag names the flag and the range it expects', () => {
    expect(() => numberFlag({ limit: '11' }, 'limit', { min: 1, max: 10 }, 5)).toThrow(
      new UsageError('--limit expects a whole number from 1 to 10, got "11"'),
    );
  });
});

describe('main', () => {
  it('writes the overview to the stdout it is given and exits 2 without a command', async () => {
    const { io, out, err } = captureIo();
    expect(await main([], io)).toBe(2);
    expect(out()).toMatch(/^Usage: vod-events <command>/);
    expect(err()).toBe('');
  });

  it('writes an unknown command to the stderr it is given', async () => {
    const { io, out, err } = captureIo();
    expect(await main(['nope'], io)).toBe(2);
    expect(out()).toBe('');
    expect(err()).toMatch(/^vod-events: unknown command "nope"/);
  });
});
