import { describe, expect, it } from 'vitest';
import { FaultInjector, faultPlanProblem, type FaultPlan } from '../../../../tools/emulator/faults';
import { seededRandom } from '../../../../tools/emulator/random';

const outcomes = (plan: FaultPlan, seed: number, calls: number, action = 'PullEvents', isConfirm = false) => {
  const injector = new FaultInjector(plan, seededRandom(seed));
  return Array.from({ length: calls }, () => injector.decide(action, isConfirm).outcome);
};

describe('Class: FaultInjector', () => {
  it('replays the same fault sequence from the same seed', () => {
    const plan = { '*': { errorRate: 0.3, hangRate: 0.1 } };
    const first = outcomes(plan, 7, 200);

    expect(outcomes(plan, 7, 200)).toEqual(first);
    expect(outcomes(plan, 8, 200)).not.toEqual(first);
    expect(first.filter((o) => o === 'error').length).toBeGreaterThan(20);
    expect(first.filter((o) => o === 'hang').length).toBeGreaterThan(5);
  });

  it('injects every time at rate 1 and never at rate 0', () => {
    expect(new Set(outcomes({ '*': { errorRate: 1 } }, 1, 50))).toEqual(new Set(['error']));
    expect(new Set(outcomes({ '*': { errorRate: 0 } }, 1, 50))).toEqual(new Set(['serve']));
  });

  it('loses only confirms', () => {
    const plan = { '*': { lostConfirmRate: 1 } };
    expect(new Set(outcomes(plan, 1, 10, 'PullEvents', false))).toEqual(new Set(['serve']));
    expect(new Set(outcomes(plan, 1, 10, 'ConfirmEvents', true))).toEqual(new Set(['lost-confirm']));
  });

  it('lets an action override the "*" spec field by field, and counts what it injected', () => {
    // Prepare
    const injector = new FaultInjector(
      { '*': { latencyMs: 5, errorRate: 1, errorCode: 'InternalError' }, ConfirmEvents: { errorCode: 'FailedOperation' } },
      seededRandom(1),
    );

    // Act
    const pull = injector.decide('PullEvents', false);
    const confirm = injector.decide('ConfirmEvents', true);

    // Assess
    expect(pull).toEqual({ latencyMs: 5, outcome: 'error', errorCode: 'InternalError' });
    expect(confirm).toEqual({ latencyMs: 5, outcome: 'error', errorCode: 'FailedOperation' });
    expect(injector.injected()).toEqual({ latency: 2, error: 2, hang: 0, lostConfirm: 0 });
  });
});

describe('Function: faultPlanProblem', () => {
  it.each([
    [[], 'faults must be an object of action name → fault spec'],
    [{ PullEvents: 3 }, 'PullEvents: expected an object'],
    [{ '*': { errorRate: 2 } }, '*.errorRate: expected a number from 0 to 1'],
    [{ '*': { latencyMs: -1 } }, '*.latencyMs: expected a whole number ≥ 0'],
    [{ '*': { errorCode: '' } }, '*.errorCode: expected a non-empty string'],
    [{ '*': { failRate: 1 } }, '*.failRate: unknown field (known: latencyMs, errorRate, errorCode, hangRate, lostConfirmRate)'],
  ])('names the problem in %j', (plan, problem) => {
    expect(faultPlanProblem(plan)).toBe(problem);
  });

  it('accepts a valid plan', () => {
    expect(
      faultPlanProblem({ '*': { latencyMs: 10, errorRate: 0.5, errorCode: 'InternalError', hangRate: 0, lostConfirmRate: 1 } }),
    ).toBeUndefined();
  });
});
