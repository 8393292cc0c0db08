/**
 * Where the handler-run commands read and write. Shaped like the `CommandIo` of the CLI contract
 * (/work/notes/cli-contract.md) so these commands take the `io` argument once it exists; until then
 * they default to the process's own.
 */
export interface RunsCommandIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const processIo = (): RunsCommandIo => ({ env: process.env, stdout: process.stdout, stderr: process.stderr });

export const writeLine = (output: RunsCommandIo['stdout'], text: string): void => void output.write(`${text}\n`);
