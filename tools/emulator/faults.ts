/** What can go wrong with one action; rates are probabilities in [0, 1] rolled per call. */
export interface FaultSpec {
  /** Added before the call is served. */
  latencyMs?: number;
  /** Share of calls answered with the error `errorCode`. */
  errorRate?: number;
  /** v3 error code of injected errors; v2 actions answer 6000 naming it. Default `InternalError`. */
  errorCode?: string;
  /** Share of calls never answered: the connection is held until the client gives up (or `hangMs`). */
  hangRate?: number;
  /** Share of confirm calls answered with success while nothing is confirmed. */
  lostConfirmRate?: number;
}

/** Faults by action name (`PullEvents`, `ConfirmVodEvent`, …); `*` applies to every action. */
export type FaultPlan = Record<string, FaultSpec>;

export const FaultKind = { latency: 'latency', error: 'error', hang: 'hang', lostConfirm: 'lostConfirm' } as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

export interface FaultDecision {
  latencyMs: number;
  outcome: 'serve' | 'error' | 'hang' | 'lost-confirm';
  errorCode: string;
}

const RATES = ['errorRate', 'hangRate', 'lostConfirmRate'] as const;

/** Checks a plan that arrived as JSON; returns the problem, naming the action and field, or undefined. */
export function faultPlanProblem(plan: unknown): string | undefined {
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan))
    return 'faults must be an object of action name → fault spec';
  for (const [action, spec] of Object.entries(plan)) {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return `${action}: expected an object`;
    for (const [field, value] of Object.entries(spec)) {
      if ((RATES as readonly string[]).includes(field)) {
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) return `${action}.${field}: expected a number from 0 to 1`;
      } else if (field === 'latencyMs') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
          return `${action}.latencyMs: expected a whole number ≥ 0`;
      } else if (field === 'errorCode') {
        if (typeof value !== 'string' || value === '') return `${action}.errorCode: expected a non-empty string`;
      } else {
        return `${action}.${field}: unknown field (known: latencyMs, errorRate, errorCode, hangRate, lostConfirmRate)`;
      }
    }
  }
  return undefined;
}

/** Rolls faults per call from one seeded random source, so a run's fault sequence is reproducible. */
export class FaultInjector {
  private counts: Record<FaultKind, number> = { latency: 0, error: 0, hang: 0, lostConfirm: 0 };

  constructor(
    private plan: FaultPlan,
    private readonly random: () => number,
  ) {}

  setPlan(plan: FaultPlan): void {
    this.plan = plan;
  }

  currentPlan(): FaultPlan {
    return this.plan;
  }

  decide(action: string, isConfirm: boolean): FaultDecision {
    const spec = { ...this.plan['*'], ...this.plan[action] };
    const latencyMs = spec.latencyMs ?? 0;
    if (latencyMs > 0) this.counts.latency++;
    const errorCode = spec.errorCode ?? 'InternalError';
    // Always roll all three, so one kind's rate never shifts another kind's sequence.
    const [hang, error, lost] = [this.random(), this.random(), this.random()];
    let outcome: FaultDecision['outcome'] = 'serve';
    if (hang < (spec.hangRate ?? 0)) outcome = 'hang';
    else if (error < (spec.errorRate ?? 0)) outcome = 'error';
    else if (isConfirm && lost < (spec.lostConfirmRate ?? 0)) outcome = 'lost-confirm';
    if (outcome === 'hang') this.counts.hang++;
    if (outcome === 'error') this.counts.error++;
    if (outcome === 'lost-confirm') this.counts.lostConfirm++;
    return { latencyMs, outcome, errorCode };
  }

  injected(): Record<FaultKind, number> {
    return { ...this.counts };
  }

  resetCounts(): void {
    this.counts = { latency: 0, error: 0, hang: 0, lostConfirm: 0 };
  }
}
