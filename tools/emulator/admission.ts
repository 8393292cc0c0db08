import { pause } from './http';
import type { EmulatorState } from './state';

export type Admission =
  { kind: 'serve' } | { kind: 'lost-confirm' } | { kind: 'hang' } | { kind: 'rate-limited' } | { kind: 'error'; code: string };

/**
 * What happens to an authenticated call before its action runs, the same for v3 and v2: the
 * per-action rate limit first (a rejected call costs nothing more), then the fault dice, then any
 * injected latency.
 */
export async function admit(state: EmulatorState, action: string, isConfirm: boolean, signal: AbortSignal): Promise<Admission> {
  if (!state.limiter.take(action)) return { kind: 'rate-limited' };
  const decision = state.faults.decide(action, isConfirm);
  if (decision.latencyMs > 0) await pause(decision.latencyMs, signal);
  if (decision.outcome === 'error') return { kind: 'error', code: decision.errorCode };
  return { kind: decision.outcome };
}
