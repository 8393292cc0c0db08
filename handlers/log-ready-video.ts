import type { Handler, V3Payload } from '../lib/react/handler';

/**
 * Example: when a file's processing procedure finishes, log its playable URLs. A real handler
 * would update the app's own video row, keyed by `context.idempotencyKey` or the FileId, or call
 * VOD with `SessionId: context.vodSessionId`, so that a retried run changes nothing twice.
 */
export const logReadyVideo: Handler<V3Payload<'ProcedureStateChanged'>> = {
  name: 'log-ready-video',
  orderBy: 'file',
  timeoutMs: 5_000,
  async run({ payload, file, context }) {
    const procedure = payload.ProcedureStateChangeEvent;
    if (procedure?.Status !== 'FINISH') return;
    const state = await file();
    context.log.log('info', 'video processed', {
      fileId: procedure.FileId,
      lifecycle: state?.lifecycle ?? null,
      outputs: state?.outputs.map((output) => output.url) ?? [],
      idempotencyKey: context.idempotencyKey,
    });
  },
};
