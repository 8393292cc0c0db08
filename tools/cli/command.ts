import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags of a command, typed from its flag definitions: a string flag is a string, a boolean flag a boolean. */
export type FlagValues<O extends Options> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['type'] extends 'string' ? string : string | boolean;
};

/** Where a command writes: process.stdout/stderr in the CLI, a capture in tests. */
export interface Output {
  write(text: string): unknown;
  /** Set on a terminal, so `dev` can fit its table to the screen. */
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** The outside world a command may touch: the CLI passes the process's, tests their own. */
export interface CommandIo {
  env: Record<string, string | undefined>;
  /** What `replay -` reads. */
  stdin: NodeJS.ReadableStream;
  stdout: Output;
  stderr: Output;
}

/** One `vod-events` subcommand: its flags, its help text, and what it runs. */
export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  /** Usage line and flag descriptions, printed by `--help`. */
  help: string;
  options: O;
  /** Resolves to the process exit code. */
  run(args: { values: FlagValues<O>; positionals: string[] }, io: CommandIo): Promise<number>;
}

/** Writes `text` and a line break, as console.log would. */
export const writeLine = (output: Output, text: string): void => void output.write(`${text}\n`);

/** Checks a command against the contract and types its `values` from its `options`. */
export const defineCommand = <O extends Options>(command: Command<O>): Command<O> => command;

/** A flag value that is wrong; its message names the flag and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommandArgs(command: Command, argv: string[]): { values: FlagValues<Options>; positionals: string[] } {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads a numeric flag, or the default when absent; rejects anything outside [min, max]. */
export function numberFlag<V extends object>(
  values: V,
  flag: keyof V & string,
  range: { min: number; max: number; integer?: boolean },
  fallback: number,
): number {
  const raw: unknown = values[flag];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const wrongKind = range.integer !== false && !Number.isInteger(value);
  if (!Number.isFinite(value) || wrongKind || value < range.min || value > range.max) {
    const kind = range.integer === false ? 'a number' : 'a whole number';
    throw new UsageError(`--${flag} expects ${kind} from ${range.min} to ${range.max}, got "${String(raw)}"`);
  }
  return value;
}

/** Resolves on the first SIGINT or SIGTERM, for commands that serve until stopped. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
