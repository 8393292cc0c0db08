import { describe, expect, it } from 'vitest';
import { runsBell } from '../../../lib/react/runs-bell';
import { manualClock } from '../../helpers/manual-clock';

const never = new AbortController().signal;

describe('runsBell', () => {
  it('a ring after the ticket was taken (during the claim) makes the wait return at once', async () => {
    const clock = manualClock(0, { autoAdvance: false });
    const bell = runsBell(clock, 5_000);
    const ticket = bell.ticket();
    bell.ring();
    await bell.wait(ticket, never);
    expect(clock.now()).toBe(0);
  });

  it('a waiting worker wakes at the next ring, or after the recheck interval, or when its signal aborts', async () => {
    const clock = manualClock(0, { autoAdvance: false });
    const bell = runsBell(clock, 5_000);
    const rung = bell.wait(bell.ticket(), never);
    clock.advance(1_000);
    bell.ring();
    await rung;
    expect(clock.now()).toBe(1_000);

    const rechecked = bell.wait(bell.ticket(), never);
    clock.advance(5_000);
    await rechecked;
    expect(clock.now()).toBe(6_000);

    const stop = new AbortController();
    const stopped = bell.wait(bell.ticket(), stop.signal);
    stop.abort();
    await stopped;
    expect(clock.now()).toBe(6_000);
  });
});
