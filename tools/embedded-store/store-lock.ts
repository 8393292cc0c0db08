import { openSync, readFileSync, renameSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/**
 * Who holds an embedded store: written next to the data directory (`<dir>.lock`) by the one
 * process that opens it. `host`/`port` appear once that process serves the store to others.
 */
export interface StoreHolder {
  pid: number;
  command: string;
  startedAt: string;
  host?: string;
  port?: number;
}

export const lockPathOf = (dataDir: string): string => `${resolve(dataDir)}.lock`;

/** What the holder was started as, for the one line a blocked process prints. */
export function currentCommand(): string {
  const [script, ...args] = process.argv.slice(1);
  return [script ? basename(script) : 'node', ...args].join(' ');
}

/** `kill(pid, 0)` delivers nothing; it only says whether the process exists (EPERM: it does, not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file if nobody has (`wx` is atomic); `false` when it already exists. */
export function tryClaim(lockPath: string, holder: StoreHolder): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeFileSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Replaces the holder's record in one step (readers never see half a file). */
export function updateClaim(lockPath: string, holder: StoreHolder): void {
  const temporary = `${lockPath}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  renameSync(temporary, lockPath);
}

/**
 * The lock file's text and holder; `undefined` when there is no lock. A holder that is still writing
 * its first record reads as `{ raw, holder: undefined }`.
 */
export function readClaim(lockPath: string): { raw: string; holder: StoreHolder | undefined } | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(raw) as StoreHolder;
    return { raw, holder: Number.isInteger(holder.pid) ? holder : undefined };
  } catch {
    return { raw, holder: undefined };
  }
}

/**
 * Removes a lock whose holder is gone, only if it still says what was read: a process that took
 * the store in between keeps its lock.
 */
export function removeStaleClaim(lockPath: string, raw: string): void {
  if (readClaim(lockPath)?.raw !== raw) return;
  try {
    unlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Removes the lock if this process holds it. */
export function releaseClaim(lockPath: string): void {
  const claim = readClaim(lockPath);
  if (claim?.holder?.pid === process.pid) removeStaleClaim(lockPath, claim.raw);
}
