export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One JSON object per line, so SCF's log search (CLS) can filter on any field. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function jsonLineLogger(write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  return {
    log(level, message, fields) {
      write(JSON.stringify({ level, message, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };
