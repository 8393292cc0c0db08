import { ConfigError, StoreError } from '../../lib/errors';
import { parseCommandArgs, UsageError, type Command, type CommandIo, writeLine } from './command';
import { commands } from './commands';

const overview = () =>
  [
    'Usage: vod-events <command> [flags]    (vod-events <command> --help for its flags)',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
  ].join('\n');

/** Runs the CLI and resolves to the exit code; usage and configuration errors print one clear line. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, overview());
    return name === undefined ? 2 : 0;
  }
  const command: Command | undefined = commands.find((candidate) => candidate.name === name);
  if (!command) {
    writeLine(io.stderr, `vod-events: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      writeLine(io.stdout, command.help);
      return 0;
    }
    return await command.run({ values, positionals }, io);
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `vod-events ${command.name}: ${error.message}\n\n${command.help}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      writeLine(io.stderr, `vod-events ${command.name}: configuration error: ${error.message}`);
      return 2;
    }
    // The store is down or refused: one line, and an exit code scripts can retry on.
    if (error instanceof StoreError) {
      writeLine(io.stderr, `vod-events ${command.name}: ${error.message}`);
      return 1;
    }
    const busy = portInUse(error);
    if (busy !== undefined) {
      writeLine(io.stderr, `vod-events ${command.name}: port ${busy} is in use; use --port N or --port 0`);
      return 1;
    }
    throw error;
  }
}

/** The port of a listen that failed with EADDRINUSE (each command has stopped what it started by then). */
function portInUse(error: unknown): number | undefined {
  const { code, port } = (error ?? {}) as { code?: unknown; port?: unknown };
  return code === 'EADDRINUSE' && typeof port === 'number' ? port : undefined;
}
