// A dispatcher process for the crash test (test/chaos/handler-runs-crash.chaos.ts), bundled by the
// test with esbuild and run as a child: it runs due handler runs with a handler that SIGKILLs its
// own process at random points, and with forwarding, until none is due.
import { loadConfig } from '../../lib/config';
import { jsonLineLogger } from '../../lib/log';
import { dispatchRuns } from '../../lib/react/dispatch';
import type { Handler } from '../../lib/react/handler';
import { registryFor } from '../../lib/react/registry-for';
import { openPostgres } from '../../lib/store/postgres-client';
import { systemClock } from '../../lib/clock';
import { createRunStore } from '../../lib/react/run-store';

const killRate = Number(process.env.KILL_RATE);
const dieNow = () => process.kill(process.pid, 'SIGKILL');

async function main() {
  const config = loadConfig(process.env);
  const sql = await openPostgres(config.databaseUrl!, { max: 4 });
  const effect: Handler = {
    name: 'effect',
    timeoutMs: 1_000,
    async run({ event, context }) {
      if (Math.random() < killRate) dieNow(); // before the body
      await sql.query('INSERT INTO crash_effects (event_id, attempt) VALUES ($1, $2::text::int)', [
        event.id,
        String(context.attempt),
      ]);
      if (Math.random() < killRate) dieNow(); // after the body, before its success is recorded
    },
  };
  const registry = registryFor(config, { '*': [effect] }, systemClock);
  const log = jsonLineLogger((line) => void process.stderr.write(line + '\n'));
  const result = await dispatchRuns(
    { runs: createRunStore(sql), registry, clock: systemClock, log, retry: { maxAttempts: 1_000, baseMs: 50 } },
    { budgetMs: 60_000, concurrency: 4 },
  );
  process.stdout.write(JSON.stringify(result) + '\n');
  await sql.close();
}

void main();
