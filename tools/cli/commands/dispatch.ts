import { dispatchDueRuns } from '../../../lib/app/dispatch-runs';
import { loadConfig } from '../../../lib/config';
import { jsonLineLogger } from '../../../lib/log';
import { defineCommand, numberFlag, writeLine } from '../command';
import { localRuntime } from '../local-runtime';

const DEFAULT_BUDGET_MS = 60_000;

export const dispatchCommand = defineCommand({
  name: 'dispatch',
  summary: 'run the due handler runs once from the shell',
  help: `Usage: vod-events dispatch [--budget-ms N]

Runs the handler runs that are due (new, retries whose time has come, runs whose process died),
with the handlers of handlers/index.ts and FORWARD_URL, until none is due or the budget is spent,
and prints the counts as JSON. What the timer function does after each drain.

  --budget-ms N   stop starting runs after N ms (default ${DEFAULT_BUDGET_MS})

Log lines go to stderr.`,
  options: { 'budget-ms': { type: 'string' } },
  async run({ values }, io) {
    const budgetMs = numberFlag(values, 'budget-ms', { min: 1, max: 3_600_000 }, DEFAULT_BUDGET_MS);
    const runtime = localRuntime(loadConfig(io.env), { log: jsonLineLogger((line) => void io.stderr.write(line + '\n')) });
    try {
      const summary = await dispatchDueRuns(runtime, await runtime.store(), budgetMs);
      writeLine(io.stdout, JSON.stringify(summary, null, 2));
      return summary.dispatchError === undefined ? 0 : 1;
    } finally {
      await runtime.close();
    }
  },
});
