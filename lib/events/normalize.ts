import { dedupeKey, withoutEnvelope } from './dedupe-key';
import { asInt, asObject, asText, columnText, firstAt, firstOf, objectOrFirst, type Json } from './fields';
import { safePayload } from './safe-payload';
import { ApiFormat, NO_FIELDS, UNKNOWN_EVENT_TYPE, type Arrival, type NormalizedEvent } from './types';
import { findV3Body } from './v3-bodies';

type Extracted = Omit<NormalizedEvent, 'id' | 'source' | 'payload'>;

/**
 * Where the SDK's `*Task` types keep each field, most direct first: results sit in `Output`,
 * per-file results in `FileInfo`/`FileInfoSet`/`FileInfos`, inputs in `Input`/`InputInfo`.
 */
const V3_PATHS = {
  taskId: ['TaskId', 'ProcedureTaskId'],
  fileId: [
    'FileId',
    'FileIdSet.0',
    'Output.FileId',
    'FileInfo.FileId',
    'FileInfoSet.0.FileId',
    'FileInfoSet.0.Output.FileId',
    'Output.FileInfos.0.FileId',
    'SubTaskSet.0.Output.OutputFiles.0.FileId',
    'Input.FileId',
    'InputInfo.FileId',
    'Input.FileInfos.0.FileId',
  ],
  fileUrl: [
    'FileUrl',
    'Output.FileUrl',
    'MediaBasicInfo.MediaUrl',
    'Output.Url',
    'FileInfo.FileUrl',
    'FileInfoSet.0.FileUrl',
    'FileInfoSet.0.Output.MediaBasicInfo.MediaUrl',
    'Output.FileInfos.0.FileUrl',
    'SubTaskSet.0.Output.OutputFiles.0.Url',
    'ComplexAdaptiveDynamicStreamingTaskResultSet.0.Output.Url',
    'Input.Url',
    'InputInfo.Url',
  ],
  status: ['Status'],
  errCode: ['ErrCode', 'FileInfo.ErrCode', 'FileInfoSet.0.ErrCode'],
  message: ['Message', 'FileInfo.Message', 'FileInfoSet.0.Message'],
} as const;

/** Fields of a v3 body (`*Task` types of the SDK), wherever each type keeps them. */
function fromV3(content: Json, eventType: string): Extracted {
  const body = findV3Body(content, eventType) ?? {};
  return {
    eventType: columnText(eventType),
    apiFormat: ApiFormat.v3,
    taskId: firstAt(body, V3_PATHS.taskId, asText),
    fileId: firstAt(body, V3_PATHS.fileId, asText),
    status: firstAt(body, V3_PATHS.status, asText),
    errCode: firstAt(body, V3_PATHS.errCode, asInt),
    message: firstAt(body, V3_PATHS.message, asText),
    fileUrl: firstAt(body, V3_PATHS.fileUrl, asText),
  };
}

/** 2017 API / callback version 4.0: `{version, eventType, data}`; `data.status` is a task state or an error code. */
function fromV2(content: Json, eventType: string): Extracted {
  const data = asObject(content.data) ?? {};
  const firstFile = objectOrFirst(data.fileInfo) ?? {};
  return {
    eventType: columnText(eventType),
    apiFormat: ApiFormat.v2,
    taskId: firstOf(asText(data.vodTaskId), asText(data.taskId), asText(data.vod_task_id)),
    fileId: firstOf(asText(data.fileId), asText(firstFile.fileId)),
    status: typeof data.status === 'string' ? asText(data.status) : null,
    errCode: firstOf(asInt(data.errCode), typeof data.status === 'number' ? asInt(data.status) : null),
    message: asText(data.message),
    fileUrl: firstOf(asText(data.fileUrl), asText(firstFile.fileUrl)),
  };
}

/** `PullVodEvent`: `{status, message, task, data:{vod_task_id}}`; the task names the event. */
function fromV2Legacy(content: Json, task: string): Extracted {
  const data = asObject(content.data) ?? {};
  return {
    ...NO_FIELDS,
    eventType: columnText(task),
    apiFormat: ApiFormat.v2Legacy,
    taskId: firstOf(asText(data.vod_task_id), asText(data.vodTaskId)),
    fileId: firstOf(asText(data.file_id), asText(data.fileId)),
    errCode: asInt(content.status),
    message: asText(content.message),
  };
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

function extract(content: unknown, arrival: Arrival): Extracted {
  const object = asObject(content);
  if (object && nonEmptyString(object.EventType)) return fromV3(object, object.EventType);
  if (object && nonEmptyString(object.eventType)) return fromV2(object, object.eventType);
  if (object && nonEmptyString(object.task) && ('data' in object || 'status' in object)) {
    return fromV2Legacy(object, object.task);
  }
  return { ...NO_FIELDS, eventType: UNKNOWN_EVENT_TYPE, apiFormat: arrival.api ?? ApiFormat.v3 };
}

/**
 * The normalized form of one event content of any generation, as it arrived. Never throws:
 * content of no known shape becomes an `Unknown` event carrying the raw payload, so nothing
 * that reaches us is dropped.
 */
export function normalize(content: unknown, arrival: Arrival): NormalizedEvent {
  return {
    id: dedupeKey(content),
    source: arrival.source,
    // Delivery fields are not stored: the handle is spent, and a live Sign/T pair (which does not
    // cover the body) would let anyone reading the table forge callbacks until T expires.
    payload: safePayload(withoutEnvelope(content)),
    ...extract(content, arrival),
  };
}
