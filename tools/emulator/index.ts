export { startEmulator, type RunningEmulator } from './server';
export { EmptyAnswer, EMPTY_ANSWERS, LOCAL_CREDENTIAL, type EmulatorCredential, type EmulatorOptions } from './options';
export type { EmulatorStats, EnqueueOptions } from './state';
export type { FaultKind, FaultPlan, FaultSpec } from './faults';
export { pushEvent, pushEvents, signCallbackBody, type AttemptStatus, type PushOptions, type PushResult } from './pusher';
export { V2_HOST, V2_PATH } from './v2-api';
