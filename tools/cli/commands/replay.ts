import { localRuntime } from '../local-runtime';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { replay, type ReplaySummary } from '../../../lib/callback/replay';
import { loadConfig } from '../../../lib/config';
import { defineCommand, writeLine } from '../command';

/** The file, or one line saying why it cannot be read (a directory, a missing file), never a stack. */
async function openInput(file: string): Promise<FileHandle | string> {
  try {
    if ((await stat(file)).isDirectory()) return `${file} is a directory: give the exported log file (or "-" for stdin)`;
    return await open(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${message}`;
  }
}

/** Exit code and the line to print when a replay stored nothing it should have. */
function verdict(file: string, summary: ReplaySummary): { code: number; problem?: string } {
  if (summary.failed)
    return { code: 1, problem: `the store failed at line ${summary.failed.line}; replay again once it is back` };
  if (summary.read > 0 && summary.recognised === 0) {
    return { code: 1, problem: `no line of ${file} holds a dead letter or a VOD event (see --help for the formats read)` };
  }
  if (summary.unverified > 0) {
    return {
      code: 1,
      problem: `${summary.unverified} line(s) were not verified and were not stored; check them, then pass --accept-unverified`,
    };
  }
  return { code: 0 };
}

export const replayCommand = defineCommand({
  name: 'replay',
  summary: 'store the events of dead-letter log lines or raw callback bodies',
  help: [
    'Usage: vod-events replay FILE [--accept-unverified]',
    '',
    'FILE ("-" for stdin) holds the callback function\'s log, one entry per line, in any of these forms:',
    '  - the JSON log lines as the function wrote them ("deadLetter": true), with or without a prefix',
    '    (timestamp, request id) before the first "{";',
    '  - a CLS export in JSON (one object per line; the log line in a field such as SCF_Message);',
    '  - a CLS export in CSV (a header row, then rows; the log line in a quoted field);',
    '  - raw callback bodies, one per line.',
    'Other lines are skipped and listed with the reason. Each dead letter is stored with its original',
    'arrival time, as a callback, in DATABASE_URL, else the embedded store in PGLITE_DIR.',
    '',
    'Only verified content is stored: dead letters record whether their signature was checked. Lines that',
    'were not verified (written while VOD_CALLBACK_SIGN_KEY could not be read or was not set, bodies',
    'quarantined as suspected forgeries, raw bodies) are refused unless you pass --accept-unverified.',
    '',
    'Each line is one delivery: replaying a file again, or after a failure, adds nothing. Prints a JSON',
    'summary; exits 1 when the store failed, when no line held an event, or when lines were refused as unverified.',
  ].join('\n'),
  options: { 'accept-unverified': { type: 'boolean' } },
  async run({ values, positionals }, { env, stdin, stdout, stderr }) {
    if (positionals.length !== 1) {
      writeLine(stderr, 'vod-events replay: expects exactly one FILE (or "-" for stdin)');
      return 2;
    }
    const file = positionals[0]!;
    const input = file === '-' ? undefined : await openInput(file);
    if (typeof input === 'string') {
      writeLine(stderr, `vod-events replay: ${input}`);
      return 2;
    }
    const runtime = localRuntime(loadConfig(env));
    try {
      const store = await runtime.store();
      const lines = input ? input.readLines() : createInterface({ input: stdin, crlfDelay: Infinity });
      const summary = await replay(lines, {
        store,
        clock: runtime.clock,
        acceptUnverified: values['accept-unverified'] === true,
      });
      writeLine(stdout, JSON.stringify(summary, null, 2));
      const { code, problem } = verdict(file, summary);
      if (problem) writeLine(stderr, `vod-events replay: ${problem}`);
      return code;
    } finally {
      await input?.close();
      await runtime.close();
    }
  },
});
