import type { FileState } from '../state';
import type { SqlClient } from '../store/sql-client';
import { readFileState } from './file-state';
import { listRuns, replayRuns, runStats, type ReplaySelection, type RunFilter, type RunRow, type RunStats } from './run-queries';
import { claimRun, recordFailure, recordSuccess, releaseRun, type ClaimedRun, type ClaimRequest } from './runs-store';

/**
 * The handler runs' side of the store: what the dispatcher and the `runs`/`replay-runs`/`stats`
 * commands ask of `vod_handler_runs`, without handing anyone the driver.
 */
export interface RunStore {
  claim(request: ClaimRequest): Promise<ClaimedRun | undefined>;
  recordSuccess(run: ClaimedRun, now: Date): Promise<void>;
  recordFailure(run: ClaimedRun, now: Date, error: string, retryAt: Date | undefined): Promise<void>;
  release(run: ClaimedRun, now: Date): Promise<void>;
  /** The file's `vod_files` row, or its state projected from its events when the table is not kept. */
  fileState(fileId: string): Promise<FileState | null>;
  list(filter: RunFilter): Promise<RunRow[]>;
  stats(now: Date): Promise<RunStats>;
  replay(handler: string, selection: ReplaySelection, force: boolean, now: Date): Promise<number>;
}

export const createRunStore = (sql: SqlClient): RunStore => ({
  claim: (request) => claimRun(sql, request),
  recordSuccess: (run, now) => recordSuccess(sql, run, now),
  recordFailure: (run, now, error, retryAt) => recordFailure(sql, run, now, error, retryAt),
  release: (run, now) => releaseRun(sql, run, now),
  fileState: (fileId) => readFileState(sql, fileId),
  list: (filter) => listRuns(sql, filter),
  stats: (now) => runStats(sql, now),
  replay: (handler, selection, force, now) => replayRuns(sql, handler, selection, force, now),
});
