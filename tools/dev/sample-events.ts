import emulatorEvents from '../../samples/emulator-events.json';
import seeds from '../../samples/seed-events.json';
import type { ApiFormat } from '../../lib/events/types';

/**
 * The seed documents' pulled events, by the API generation whose queue serves them. The v3 ones
 * are `samples/emulator-events.json` (seed 001 and 003 without their handles), the file
 * `vod-events emulator --events` takes.
 */
export const SAMPLE_QUEUE_EVENTS: Record<ApiFormat, Record<string, unknown>[]> = {
  v3: emulatorEvents,
  v2: seeds.pullEvent002.map((item) => item.eventContent),
  'v2-legacy': seeds.pullVodEvent000.map((item) => item.eventContent),
};

/**
 * The seed documents' HTTP callbacks. The PullComplete one is the same event as the pulled
 * PullComplete, so the dev table shows one row delivered twice, by both paths.
 */
export const SAMPLE_CALLBACKS: Record<string, unknown>[] = [seeds.pullComplete003Callback, seeds.concatComplete002Callback];

/** A new upload event for each tick of the live dev loop, so fresh rows keep arriving. */
export function uploadEvent(serial: number, now: Date): Record<string, unknown> {
  const fileId = String(5285890784300000000n + BigInt(serial));
  return {
    EventType: 'NewFileUpload',
    FileUploadEvent: {
      FileId: fileId,
      MediaBasicInfo: {
        Name: `dev-upload-${serial}`,
        CreateTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Type: 'mp4',
        MediaUrl: `http://dev.vod2.myqcloud.com/local/${fileId}/dev-upload-${serial}.mp4`,
      },
      ProcedureTaskId: '',
    },
  };
}
