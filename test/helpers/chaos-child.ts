import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface KilledDrain {
  /** `batch stored` lines the child printed before it died: each is a durably stored batch. */
  batches: number;
  pulled: number;
  inserted: number;
  duplicates: number;
  /** How the child ended; `SIGKILL` when it was killed as planned. */
  signal: NodeJS.Signals | null;
  code: number | null;
  /** Whether it printed its summary, i.e. finished before it could be killed. */
  finished: boolean;
  /** Milliseconds from spawn to kill. */
  killedAfterMs: number;
}

const CLI = resolve('bin/vod-events.js');

/**
 * Runs `vod-events drain` (the built CLI, as an operator or SCF would run the function) with only
 * `env` (plus PATH), and SIGKILLs it once it has printed `killAfterBatches` per-batch lines or
 * after `maxMs`. The counts come from the lines it printed before dying.
 */
export function drainChildKilledMidFlight(
  env: Record<string, string>,
  { killAfterBatches, maxMs }: { killAfterBatches: number; maxMs: number },
): Promise<KilledDrain> {
  const child = spawn(process.execPath, [CLI, 'drain'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: KilledDrain = {
    batches: 0,
    pulled: 0,
    inserted: 0,
    duplicates: 0,
    signal: null,
    code: null,
    finished: false,
    killedAfterMs: 0,
  };
  const started = Date.now();
  const kill = () => {
    if (result.killedAfterMs !== 0 || child.exitCode !== null) return;
    result.killedAfterMs = Date.now() - started;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, maxMs);
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"batch stored"')) continue;
      const entry = JSON.parse(line) as { pulled: number; inserted: number; duplicates: number };
      result.batches++;
      result.pulled += entry.pulled;
      result.inserted += entry.inserted;
      result.duplicates += entry.duplicates;
      if (result.batches >= killAfterBatches) kill();
    }
  });
  child.stdout.on('data', () => {
    result.finished = true;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close' waits for stderr to end, so every line written before the kill is counted.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      Object.assign(result, { code, signal });
      resolve(result);
    });
  });
}
