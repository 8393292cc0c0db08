import { seededRandom } from '../../tools/emulator/random';

export { seededRandom };

const KEYS = [
  'EventType',
  'eventType',
  'data',
  'task',
  'TaskId',
  'FileId',
  'Status',
  'ErrCode',
  'FileIdSet',
  'Output',
  'x',
  'é',
  '',
];
const STRINGS = ['', 'NewFileUpload', 'FINISH', '0', '-1', 'a\u0000b', '\ud800', '🎬', 'x'.repeat(300)];

/** A random JSON value up to `depth` levels, biased towards VOD-looking keys and awkward values. */
export function randomJson(random: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const roll = random();
  if (depth <= 0 || roll < 0.3) {
    return pick<unknown>([null, true, false, 0, -1, 2 ** 31, 1.5, 1e300, pick(STRINGS), pick(STRINGS)]);
  }
  if (roll < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth - 1));
  const object: Record<string, unknown> = {};
  const size = Math.floor(random() * 5);
  for (let i = 0; i < size; i++) object[pick(KEYS)] = randomJson(random, depth - 1);
  return object;
}
