/** Room for one batch in the gate; `settle` once its size is known, `release` once it is stored. */
export interface Reservation {
  settle(bytes: number): void;
  release(): void;
}

export interface ByteGate {
  /** Waits until a batch as large as the largest seen so far fits; rejects when `signal` aborts first. */
  reserve(signal: AbortSignal): Promise<Reservation>;
  /** Bytes held now (reservations included); for tests and logs. */
  readonly used: number;
}

/**
 * Bounds the bytes of pulled-but-unstored events across the drain's loops. A pull cannot say how
 * large its batch will be, so a new pull reserves the largest batch seen so far, and until the
 * first batch's size is known only one pull runs. A gate holding nothing always admits one batch,
 * so a batch larger than the bound is still pulled and stored, alone.
 */
export function byteGate(maxBytes: number): ByteGate {
  let used = 0;
  let largestBatch: number | undefined;
  const waiting: (() => void)[] = [];
  const fits = () => used === 0 || (largestBatch !== undefined && used + largestBatch <= maxBytes);

  function take(): Reservation {
    // An unknown size holds the whole gate until `settle`.
    let held = largestBatch ?? Math.max(maxBytes, 1);
    used += held;
    const change = (bytes: number) => {
      used += bytes - held;
      held = bytes;
      while (waiting.length > 0 && fits()) waiting.shift()!();
    };
    return {
      settle(bytes) {
        largestBatch = Math.max(largestBatch ?? 0, bytes);
        change(bytes);
      },
      release: () => change(0),
    };
  }

  return {
    get used() {
      return used;
    },
    reserve(signal) {
      signal.throwIfAborted();
      if (waiting.length === 0 && fits()) return Promise.resolve(take());
      return new Promise<Reservation>((resolve, reject) => {
        const admit = () => {
          signal.removeEventListener('abort', abort);
          resolve(take());
        };
        const abort = () => {
          waiting.splice(waiting.indexOf(admit), 1);
          reject(signal.reason);
        };
        waiting.push(admit);
        signal.addEventListener('abort', abort, { once: true });
      });
    },
  };
}
