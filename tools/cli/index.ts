import { main } from './main';

// Exits as soon as the command is done: a user's handler that keeps its own connection pool open
// (`dispatch`, `dev`) would otherwise keep the process alive after its summary. Nothing is lost:
// stdout and stderr are synchronous for files, pipes and terminals on Linux and macOS.
main(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
