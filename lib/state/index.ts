/** The projection of stored events onto one row per file and per task (docs/state.md). */
export { contributionOf, projectEvents, applyContribution, emptyState, type StateFacts } from './project';
export type { Contribution } from './contribution';
export { mergeFacts, outranks, type Facts, type Ranked, type RankedFields } from './facts';
export { fileState, taskState, type FileState, type TaskState, type FileOutputRow } from './rows';
export { Lifecycle, LIFECYCLE_RANK, TaskStatus } from './precedence';
