import type {
  FileDeleteTask,
  MediaProcessTaskResult,
  ProcedureTask,
} from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';
import { normalize } from '../../../lib/events/normalize';
import type { NormalizedEvent } from '../../../lib/events/types';
import { httpForm, pulledForm, v3Examples, type V3EventType, type V3Example } from '../../helpers/v3-event-factory';

/**
 * Events about chosen files and tasks, made from the SDK-typed examples of the event factory:
 * the example's own file and task ids are replaced, and a few members overridden with values
 * typed by the SDK model of the body.
 */

const EXAMPLES = new Map(v3Examples().map((example) => [example.eventType, example]));

function example(eventType: V3EventType): V3Example {
  const found = EXAMPLES.get(eventType);
  if (!found) throw new Error(`no factory example for ${eventType}`);
  return found;
}

/** The example of `eventType` about `fileId` (and `taskId`), with `overrides` on its body. */
function about<T extends object>(eventType: V3EventType, fileId: string, taskId: string | null, overrides: T): V3Example {
  const base = example(eventType);
  let json = JSON.stringify(base.body);
  if (base.expected.fileId) json = json.replaceAll(base.expected.fileId, fileId);
  if (base.expected.taskId && taskId) json = json.replaceAll(base.expected.taskId, taskId);
  return { ...base, body: { ...(JSON.parse(json) as Record<string, unknown>), ...overrides } };
}

const url = (fileId: string, name: string) => `https://1256768367.vod2.myqcloud.com/vodgzp1256768367/${fileId}/${name}`;

const transcodeResult = (fileId: string, status: 'PROCESSING' | 'SUCCESS'): MediaProcessTaskResult => ({
  Type: 'Transcode',
  TranscodeTask: {
    Status: status,
    ErrCode: 0,
    ErrCodeExt: '',
    Message: status === 'SUCCESS' ? 'SUCCESS' : '',
    Input: { Definition: 100030 },
    ...(status === 'SUCCESS' ? { Output: { Url: url(fileId, 'v.f100030.mp4'), Definition: 100030, Container: 'mp4' } } : {}),
    Progress: status === 'SUCCESS' ? 100 : 40,
  },
});

const adaptiveResult = (fileId: string, status: 'PROCESSING' | 'SUCCESS' | 'FAIL'): MediaProcessTaskResult => ({
  Type: 'AdaptiveDynamicStreaming',
  AdaptiveDynamicStreamingTask: {
    Status: status,
    ErrCode: status === 'FAIL' ? 70000 : 0,
    ErrCodeExt: status === 'FAIL' ? 'InternalError' : '',
    Message: status === 'FAIL' ? 'internal error' : '',
    Input: { Definition: 12 },
    ...(status === 'SUCCESS' ? { Output: { Definition: 12, Package: 'HLS', Url: url(fileId, 'adp.12.m3u8') } } : {}),
    Progress: status === 'PROCESSING' ? 10 : 100,
  },
});

const coverResult = (fileId: string): MediaProcessTaskResult => ({
  Type: 'CoverBySnapshot',
  CoverBySnapshotTask: {
    Status: 'SUCCESS',
    ErrCodeExt: '',
    ErrCode: 0,
    Message: 'SUCCESS',
    Output: { CoverUrl: url(fileId, 'cover.jpg') },
    Progress: 100,
  },
});

/** The stages of a procedure as `TasksNotifyMode=Change` reports them, and its possible ends. */
export function procedureEvent(
  fileId: string,
  taskId: string,
  stage: 'started' | 'transcoded' | 'finished' | 'failed',
): V3Example {
  const results: Record<typeof stage, MediaProcessTaskResult[]> = {
    started: [transcodeResult(fileId, 'PROCESSING'), adaptiveResult(fileId, 'PROCESSING')],
    transcoded: [transcodeResult(fileId, 'SUCCESS'), adaptiveResult(fileId, 'PROCESSING')],
    finished: [transcodeResult(fileId, 'SUCCESS'), adaptiveResult(fileId, 'SUCCESS'), coverResult(fileId)],
    failed: [transcodeResult(fileId, 'SUCCESS'), adaptiveResult(fileId, 'FAIL')],
  };
  const overrides: ProcedureTask = {
    Status: stage === 'started' || stage === 'transcoded' ? 'PROCESSING' : 'FINISH',
    TasksNotifyMode: 'Change',
    FileUrl: url(fileId, 'source.mp4'),
    MediaProcessResultSet: results[stage],
    SessionContext: `order-${fileId}`,
  };
  return about('ProcedureStateChanged', fileId, taskId, overrides);
}

/** A NewFileUpload that starts procedure `taskId`. */
export const uploadEvent = (fileId: string, taskId: string): V3Example =>
  about('NewFileUpload', fileId, taskId, { ProcedureTaskId: taskId });

export const deleteEvent = (fileId: string, parts: FileDeleteTask['FileDeleteResultInfo'] = undefined): V3Example =>
  about('FileDeleted', fileId, null, parts ? ({ FileDeleteResultInfo: parts } satisfies FileDeleteTask) : {});

export const otherEvent = (eventType: V3EventType, fileId: string, taskId: string): V3Example =>
  about(eventType, fileId, taskId, {});

/** A v3 example as it arrives by callback (nulls left out) or by pull (nulls present): one event id. */
export const delivered = (event: V3Example, by: 'pull' | 'callback'): NormalizedEvent =>
  by === 'pull'
    ? normalize(pulledForm(event, 'handle'), { source: 'pull', api: 'v3' })
    : normalize(httpForm(event), { source: 'callback' });

/** 2017-API (callback 4.0) events about `fileId`, shaped as seeds/002 shows them. */
export const v2Events = (fileId: string, taskId: string) => ({
  upload: {
    version: '4.0',
    eventType: 'NewFileUpload',
    data: { fileId, fileUrl: url(fileId, 'f0.mp4'), procedureTaskId: taskId },
  },
  processing: {
    version: '4.0',
    eventType: 'ProcedureStateChanged',
    data: { vodTaskId: taskId, status: 'PROCESSING', errCode: 0, fileId },
  },
  finished: {
    version: '4.0',
    eventType: 'ProcedureStateChanged',
    data: { vodTaskId: taskId, status: 'FINISH', errCode: 0, fileId },
  },
  transcoded: {
    version: '4.0',
    eventType: 'TranscodeComplete',
    data: {
      status: 0,
      message: '',
      vodTaskId: `transcode-${taskId}`,
      fileId,
      fileName: 'lecture',
      duration: 60,
      playSet: [{ url: url(fileId, 'f0.f230.m3u8'), definition: 230 }],
    },
  },
  deleted: { version: '4.0', eventType: 'FileDeleted', data: { fileId: [fileId] } },
});

/** Every event one file can see, v3 by pull and by callback, plus 2017-API events. */
export function eventsOfFile(n: number): ((by: 'pull' | 'callback') => NormalizedEvent)[] {
  const file = `52858907842${String(n).padStart(8, '0')}`;
  const procedure = `1256768367-Procedure-${n}a1t0`;
  const reprocess = `1256768367-Procedure-${n}b2t0`;
  const v3 = [
    uploadEvent(file, procedure),
    procedureEvent(file, procedure, 'started'),
    procedureEvent(file, procedure, 'transcoded'),
    procedureEvent(file, procedure, 'finished'),
    procedureEvent(file, reprocess, 'started'),
    procedureEvent(file, reprocess, 'failed'),
    otherEvent('TranscodeComplete', file, `transcode-${n}`),
    otherEvent('ReviewAudioVideoComplete', file, `1256768367-ReviewAudioVideo-${n}t0`),
    otherEvent('WechatPublishComplete', file, `1256768367-WechatPublish-${n}t0`),
    deleteEvent(file, [{ FileId: file, DeleteParts: [{ Type: 'TranscodeFiles', Definition: 0 }] }]),
    deleteEvent(file),
  ].map((example) => (by: 'pull' | 'callback') => delivered(example, by));
  const v2 = Object.values(v2Events(`v2-${file}`, `v2-${procedure}`)).map(
    (content) => (by: 'pull' | 'callback') =>
      normalize(content, by === 'pull' ? { source: 'pull', api: 'v2' } : { source: 'callback' }),
  );
  return [...v3, ...v2];
}
