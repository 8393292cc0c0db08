import type { ServerResponse } from 'node:http';
import { admit } from './admission';
import { hang } from './http';
import type { EmulatorState } from './state';

/** A call's success payload, or `undefined` when nothing may be answered (hung, client gone). */
export type CallAnswer = Record<string, unknown> | undefined;

/** How one API spells the two refusals of admission, as the error its call throws. */
export interface AdmissionRefusals {
  rateLimited(action: string, maxQps: number): Error;
  injectedFault(action: string, code: string): Error;
}

/** One authenticated call, its parameters already checked. */
export interface CheckedCall {
  action: string;
  isConfirm: boolean;
  res: ServerResponse;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/**
 * Admits the call and carries out the decision, the same for v3 and v2 so both APIs misbehave
 * alike: a refusal is thrown as the API's own error, a hung call holds its connection and answers
 * nothing, a lost confirm answers success without confirming, and only an admitted call runs
 * `serve`. Nothing is answered either when the client left while admission paused.
 */
export async function runAdmitted(
  state: EmulatorState,
  call: CheckedCall,
  refusals: AdmissionRefusals,
  serve: () => CallAnswer | Promise<CallAnswer>,
): Promise<CallAnswer> {
  const admission = await admit(state, call.action, call.isConfirm, call.signal);
  if (call.signal.aborted) return undefined;
  switch (admission.kind) {
    case 'rate-limited':
      throw refusals.rateLimited(call.action, state.options.maxQps);
    case 'error':
      throw refusals.injectedFault(call.action, admission.code);
    case 'hang':
      await hang(call.res, state.options.hangMs, call.signal);
      return undefined;
    case 'lost-confirm':
      return {};
    case 'serve':
      return serve();
  }
}
