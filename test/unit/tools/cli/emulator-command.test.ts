import { describe, expect, it } from 'vitest';
import { emulatorOptionsFromFlags } from '../../../../tools/cli/commands/emulator';
import { main } from '../../../../tools/cli/main';
import { ConfigError } from '../../../../lib/errors';
import { LOCAL_CREDENTIAL } from '../../../../tools/emulator';
import { captureIo } from '../../../helpers/cli-io';

describe('Command: emulator', () => {
  it('documents every flag in --help', async () => {
    const { io, out } = captureIo();

    const code = await main(['emulator', '--help'], io);

    expect(code).toBe(0);
    const help = out();
    for (const flag of [
      '--port',
      '--host',
      '--events',
      '--latency-ms',
      '--fail-rate',
      '--fail-code',
      '--hang-rate',
      '--lost-confirm-rate',
      '--seed',
      '--handle-ttl-ms',
      '--long-poll-ms',
      '--max-qps',
      '--empty-answer',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it('turns flags into options, faults applying to every action', () => {
    const options = emulatorOptionsFromFlags(
      {
        port: '9400',
        'latency-ms': '20',
        'fail-rate': '0.25',
        'fail-code': 'FailedOperation',
        'hang-rate': '0.1',
        'lost-confirm-rate': '0.5',
        'handle-ttl-ms': '1000',
        'long-poll-ms': '0',
        'max-qps': '5',
        'empty-answer': 'null',
        seed: '9',
      },
      { TENCENTCLOUD_SECRETID: 'AKIDx', TENCENTCLOUD_SECRETKEY: 'k' },
    );

    expect(options).toEqual({
      port: 9400,
      host: '127.0.0.1',
      credentials: [{ secretId: 'AKIDx', secretKey: 'k' }],
      events: [],
      faults: { '*': { latencyMs: 20, errorRate: 0.25, errorCode: 'FailedOperation', hangRate: 0.1, lostConfirmRate: 0.5 } },
      seed: 9,
      handleTtlMs: 1000,
      longPollMs: 0,
      maxQps: 5,
      emptyAnswer: 'null',
    });
  });

  it('uses the local key pair when neither credential variable is set', () => {
    expect(emulatorOptionsFromFlags({ port: '0' }, {}).credentials).toEqual([LOCAL_CREDENTIAL]);
  });

  it('names the missing half of a credential pair', () => {
    expect(() => emulatorOptionsFromFlags({ port: '0' }, { TENCENTCLOUD_SECRETID: 'AKIDx' })).toThrow(ConfigError);
    expect(() => emulatorOptionsFromFlags({ port: '0' }, { TENCENTCLOUD_SECRETID: 'AKIDx' })).toThrow(/TENCENTCLOUD_SECRETKEY/);
  });

  it.each([
    [{}, '--port is required (0 picks a free port)'],
    [{ port: '70000' }, '--port expects a whole number from 0 to 65535, got "70000"'],
    [{ port: '0', 'fail-rate': '2' }, '--fail-rate expects a number from 0 to 1, got "2"'],
    [{ port: '0', 'latency-ms': 'soon' }, '--latency-ms expects a whole number from 0 to 600000, got "soon"'],
    [
      { port: '0', 'fail-code': 'not a code' },
      '--fail-code expects an error code such as InternalError or FailedOperation.Busy, got "not a code"',
    ],
    [
      { port: '0', 'empty-answer': 'nothing' },
      '--empty-answer expects one of resource-not-found | empty-list | null, got "nothing"',
    ],
    [{ port: '0', 'handle-ttl-ms': '0' }, '--handle-ttl-ms expects a whole number from 1 to 86400000, got "0"'],
    [{ port: '0', events: '/nonexistent/events.json' }, /--events \/nonexistent\/events.json: ENOENT/],
  ])('rejects %j', (values, message) => {
    expect(() => emulatorOptionsFromFlags(values, {})).toThrow(message);
  });

  it('prints the usage error and help, exiting 2, for an unknown flag', async () => {
    const { io, err } = captureIo();

    const code = await main(['emulator', '--port', '0', '--fail-ratio', '1'], io);

    expect(code).toBe(2);
    expect(err()).toMatch(/^vod-events emulator: Unknown option '--fail-ratio'/);
  });
});

describe('samples/emulator-events.json', () => {
  it("is what `emulator --events` takes: the seed documents' v3 pulled events without their handles", async () => {
    const seeds = (await import('../../../../samples/seed-events.json')).default;
    const { EventHandle: _handle, ...pullComplete } = seeds.pullComplete003Pulled;

    const options = emulatorOptionsFromFlags({ port: '0', events: 'samples/emulator-events.json' }, {});

    expect(options.events).toEqual([...seeds.pullEvents001.map(({ EventHandle: _, ...content }) => content), pullComplete]);
  });
});
