// A handlers module that, like one holding its own database pool, keeps a timer alive for as long
// as the process lives: built into the CLI by test/e2e/cli-exits.test.ts in place of handlers/.
import { defineHandlers } from '../../lib/react/handler';

setInterval(() => {}, 60_000);

export default defineHandlers({ '*': [{ name: 'noop', run: async () => {} }] });
