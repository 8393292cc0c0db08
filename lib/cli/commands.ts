import type { Command } from './command';

/** Every `vod-events` subcommand, in the order `--help` lists them. Register new ones here. */
export const commands: Command[] = [];
