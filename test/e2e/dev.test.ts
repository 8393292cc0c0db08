import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli/main';
import { captureIo } from '../helpers/cli-io';

describe('vod-events dev --once', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vod-events-dev-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Each screen `dev` prints, one entry per write (a terminal's clear-screen left out); `terminal` makes stdout a TTY of that size. */
  const devIo = (terminal?: { columns: number; rows: number }) => {
    const printed: string[] = [];
    const stdout = {
      ...(terminal && { isTTY: true, ...terminal }),
      write: (text: string) => void (text.startsWith('\x1b[') || printed.push(text.replace(/\n$/, ''))),
    };
    const captured = captureIo({ PGLITE_DIR: join(dir, 'pglite') });
    return { printed, io: { ...captured.io, stdout }, err: captured.err };
  };

  const runOnce = async () => {
    const { printed, io } = devIo();
    const code = await main(['dev', '--once', '--port', '0'], io);
    return { code, output: printed.join('\n') };
  };
  const deliveriesOf = (output: string, type: string) =>
    output
      .split('\n')
      .filter((line) => line.includes(` ${type} `))
      .map((line) => Number(line.trim().split(/\s+/).at(-1)));

  it('drains the seed events, takes the pushed callbacks, prints the table and exits 0', async () => {
    const { code, output } = await runOnce();
    expect(code).toBe(0);
    expect(output).toMatch(/drain: pulled 5, new 5, duplicates 0, confirmed 5 \(drained/);
    expect(output).toMatch(/callbacks pushed: 2/);
    for (const type of ['NewFileUpload', 'ProcedureStateChanged', 'EditMediaComplete', 'PullComplete', 'ConcatComplete']) {
      expect(output).toContain(` ${type} `);
    }
    // The PullComplete pulled from the queue and the one pushed by callback are one event.
    expect(deliveriesOf(output, 'PullComplete')).toEqual([2]);
    expect(deliveriesOf(output, 'ProcedureStateChanged')).toEqual([1, 1]);
  }, 60_000);

  it('keeps the embedded store between runs: a second run counts deliveries, adds no rows', async () => {
    await runOnce();
    const { code, output } = await runOnce();
    expect(code).toBe(0);
    expect(output).toMatch(/drain: pulled 5, new 0, duplicates 5/);
    expect(deliveriesOf(output, 'PullComplete')).toEqual([4]);
    expect(deliveriesOf(output, 'ConcatComplete')).toEqual([2]);
  }, 90_000);

  it('the live loop pushes each sample callback once per run, so its delivery count does not climb', async () => {
    const { printed, io } = devIo();
    const running = main(['dev', '--port', '0', '--interval-ms', '500'], io);
    await vi.waitFor(() => expect(printed.length).toBeGreaterThanOrEqual(3), { timeout: 45_000, interval: 100 });
    process.emit('SIGINT');
    const code = await running;

    const last = printed.at(-1)!;
    expect(code).toBe(0);
    expect(printed[0]).toMatch(/callbacks pushed: 2 \(the samples, once per run\)/);
    expect(last).not.toMatch(/callbacks pushed/);
    expect(deliveriesOf(last, 'PullComplete')).toEqual([2]);
    expect(deliveriesOf(last, 'ConcatComplete')).toEqual([1]);
  }, 60_000);

  it('on an 80×24 terminal the live screen fits: no line wraps, the status stays on top', async () => {
    const { printed, io } = devIo({ columns: 80, rows: 24 });
    const running = main(['dev', '--port', '0', '--interval-ms', '500'], io);
    await vi.waitFor(() => expect(printed.length).toBeGreaterThanOrEqual(2), { timeout: 45_000, interval: 100 });
    process.emit('SIGINT');
    expect(await running).toBe(0);

    const screen = printed.at(-1)!.split('\n');
    expect(screen[0]).toMatch(/^vod-events dev — VOD: local emulator/);
    expect(screen.length).toBeLessThanOrEqual(24);
    expect(Math.max(...screen.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(screen.some((line) => line.includes(' ProcedureStateChanged '))).toBe(true);
  }, 60_000);

  it('rejects a bad flag with the command help', async () => {
    const { io, err } = devIo();
    expect(await main(['dev', '--interval-ms', '10'], io)).toBe(2);
    expect(err()).toMatch(/--interval-ms expects a whole number from 500 to 3600000, got "10"/);
  });
});
