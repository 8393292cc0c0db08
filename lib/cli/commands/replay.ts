import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { replay } from '../../callback/replay';
import { loadConfig } from '../../config';
import { createRuntime } from '../../runtime';
import { defineCommand, UsageError } from '../command';

async function openInput(file: string): Promise<FileHandle> {
  try {
    return await open(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'store the events of dead-letter log lines or raw callback bodies',
  help: [
    'Usage: vod-events replay FILE',
    '',
    'FILE holds one JSON per line: dead-letter log lines of the callback function ("deadLetter": true;',
    'their payload is replayed, with its original arrival time), or raw callback bodies; "-" reads stdin.',
    'Text before the first "{" of a line is ignored; other lines are skipped and listed with the reason.',
    'Events are stored as callbacks in DATABASE_URL, else the embedded store in PGLITE_DIR. Signatures',
    'are not checked again: dead letters come from our own log, and raw bodies are trusted as given.',
    'Running it twice is harmless:',
    'the store keeps one row per event and counts the repeat. Prints a JSON summary; exits 1 when the',
    'store failed (replay again once it is back).',
  ].join('\n'),
  options: {},
  async run({ positionals }) {
    if (positionals.length !== 1) throw new UsageError('expects exactly one FILE (or "-" for stdin)');
    const file = positionals[0]!;
    const runtime = createRuntime(loadConfig(process.env));
    const input = file === '-' ? undefined : await openInput(file);
    try {
      const store = await runtime.store();
      const lines = input ? input.readLines() : createInterface({ input: process.stdin, crlfDelay: Infinity });
      const summary = await replay(lines, { store, clock: runtime.clock });
      console.log(JSON.stringify(summary, null, 2));
      return summary.failed ? 1 : 0;
    } finally {
      await input?.close();
      await runtime.close();
    }
  },
});
