import type { Command } from './command';
import { emulatorCommand } from './commands/emulator';
import { replayCommand } from './commands/replay';
import { serveCommand } from './commands/serve';
import { sendTestCommand } from './commands/send-test';
import { devCommand } from './commands/dev';
import { drainCommand } from './commands/drain';
import { listCommand } from './commands/list';
import { statsCommand } from './commands/stats';
import { filesCommand } from './commands/files';
import { fileCommand } from './commands/file';
import { rebuildStateCommand } from './commands/rebuild-state';
import { runsCommand } from './commands/runs';
import { replayRunsCommand } from './commands/replay-runs';
import { dispatchCommand } from './commands/dispatch';

/** Every `vod-events` subcommand, in the order `--help` lists them. Register new ones here. */
export const commands: Command[] = [
  devCommand,
  emulatorCommand,
  drainCommand,
  serveCommand,
  sendTestCommand,
  replayCommand,
  listCommand,
  statsCommand,
  filesCommand,
  fileCommand,
  rebuildStateCommand,
  runsCommand,
  replayRunsCommand,
  dispatchCommand,
];
