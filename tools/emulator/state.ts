import { API_FORMATS, type ApiFormat } from '../../lib/events/types';
import { FaultInjector, type FaultKind } from './faults';
import type { ResolvedOptions } from './options';
import { EventQueues, type QueueCounts } from './queue';
import { seededRandom } from './random';
import { ActionRateLimiter } from './rate-limit';

/** What `GET /_emulator/stats` answers. */
export interface EmulatorStats extends QueueCounts {
  /** Requests per action name, whatever their outcome. */
  calls: Record<string, number>;
  /** Error answers by code (v3 codes, or `v2:<code>`), injected or not; empty polls included. */
  errors: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
}

export interface EnqueueOptions {
  /** @defaultvalue 'v3' */
  format?: ApiFormat;
  /** Absent: the default app. */
  subAppId?: number;
}

/** Everything one running emulator remembers; the HTTP handlers share it. */
export class EmulatorState {
  readonly queues: EventQueues;
  readonly limiter: ActionRateLimiter;
  readonly faults: FaultInjector;
  private calls: Record<string, number> = {};
  private errors: Record<string, number> = {};

  constructor(readonly options: ResolvedOptions) {
    this.queues = new EventQueues(options.clock, options.handleTtlMs);
    this.limiter = new ActionRateLimiter(options.clock, options.maxQps);
    this.faults = new FaultInjector(options.faults, seededRandom(options.seed));
  }

  secretKeyOf = (secretId: string): string | undefined =>
    this.options.credentials.find((pair) => pair.secretId === secretId)?.secretKey;

  /** Whether a verified call carries the session token its credential requires, if any. */
  tokenMatches(secretId: string, token: unknown): boolean {
    const expected = this.options.credentials.find((pair) => pair.secretId === secretId)?.token;
    return expected === undefined || token === expected;
  }

  countCall(action: string): void {
    this.calls[action] = (this.calls[action] ?? 0) + 1;
  }

  countError(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /**
   * Queues event contents for one app; returns how many. v3 contents lose any `EventHandle` (the
   * emulator hands out its own), so events copied from a PullEvents answer can be queued again.
   * Throws `RangeError` naming the problem when an event is not a JSON object.
   */
  enqueue(events: readonly unknown[], { format = 'v3', subAppId }: EnqueueOptions = {}): number {
    if (!API_FORMATS.includes(format))
      throw new RangeError(`format must be one of ${API_FORMATS.join(' | ')}, got "${String(format)}"`);
    if (subAppId !== undefined && !(Number.isSafeInteger(subAppId) && subAppId > 0))
      throw new RangeError(`subAppId must be a positive integer, got ${String(subAppId)}`);
    const contents = events.map((event, index) => {
      if (typeof event !== 'object' || event === null || Array.isArray(event))
        throw new RangeError(`events[${index}] must be a JSON object`);
      if (format !== 'v3') return event as Record<string, unknown>;
      const { EventHandle: _handle, ...content } = event as Record<string, unknown>;
      return content;
    });
    this.queues.enqueue({ format, subAppId }, contents);
    return contents.length;
  }

  stats(): EmulatorStats {
    return { ...this.queues.counts(), calls: { ...this.calls }, errors: { ...this.errors }, faults: this.faults.injected() };
  }

  /** Empties every queue and counter and restores the start-up fault plan. */
  reset(): void {
    this.queues.reset();
    this.limiter.reset();
    this.faults.setPlan(this.options.faults);
    this.faults.resetCounts();
    this.calls = {};
    this.errors = {};
  }
}
