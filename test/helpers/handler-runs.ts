import { systemClock, type Clock } from '../../lib/clock';
import { normalize } from '../../lib/events/normalize';
import type { NormalizedEvent } from '../../lib/events/types';

/** Real time moved forward by hand: runs come due, and leases run out, without waiting. */
export function shiftedClock(): Clock & { shift(ms: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    sleep: systemClock.sleep,
    timeout: systemClock.timeout,
    shift: (ms) => void (offset += ms),
  };
}

/** `count` v3 ProcedureStateChanged events, spread round-robin over `files` FileIds. */
export function procedureEvents(count: number, files: number, from = 0): NormalizedEvent[] {
  return Array.from({ length: count }, (_, i) =>
    normalize(
      {
        EventType: 'ProcedureStateChanged',
        ProcedureStateChangeEvent: { TaskId: `task-${from + i}`, Status: 'FINISH', FileId: `file-${(from + i) % files}` },
      },
      { source: 'pull', api: 'v3' },
    ),
  );
}
