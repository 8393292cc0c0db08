import { Readable } from 'node:stream';
import type { CommandIo, Output } from '../../tools/cli/command';

export interface CapturedIo {
  io: CommandIo;
  /** What the command wrote to stdout, without the last line break. */
  out(): string;
  err(): string;
}

/** A command's outside world for a test: its own env, an empty stdin (or `stdin`), and captured output. */
export function captureIo(env: Record<string, string | undefined> = {}, stdin: string[] = []): CapturedIo {
  const capture = () => {
    let text = '';
    const output: Output = { write: (chunk: string) => (text += chunk) };
    return { output, text: () => text.replace(/\n$/, '') };
  };
  const stdout = capture();
  const stderr = capture();
  return {
    io: { env, stdin: Readable.from(stdin), stdout: stdout.output, stderr: stderr.output },
    out: stdout.text,
    err: stderr.text,
  };
}
