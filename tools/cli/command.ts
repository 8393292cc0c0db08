import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** One `vod-events` subcommand: its flags, its help text, and what it runs. */
export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  /** Usage line and flag descriptions, printed by `--help`. */
  help: string;
  options: O;
  /** Resolves to the process exit code. */
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number>;
}

export const defineCommand = <O extends Options>(command: Command<O>): Command => command as unknown as Command;

/** A flag value that is wrong; its message names the flag and what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads a numeric flag, or the default when absent; rejects anything outside [min, max]. */
export function numberFlag(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  range: { min: number; max: number; integer?: boolean },
  fallback: number,
): number {
  const raw = values[flag];
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
