import { asObject, valueAt, type Json } from '../events/fields';
import type { NormalizedEvent } from '../events/types';
import { findV3Body } from '../events/v3-bodies';
import { ContributionBuilder, finite, id, outcomeOf, text, type Outcome } from './contribution';
import { deletionFields, formatOfUrl, stageFields, type FileDetails, type Output, type OutputKind } from './file-fields';
import { Lifecycle, TaskStatus, statusRank } from './precedence';

// Field names and meanings below are the SDK's (`tencentcloud-sdk-nodejs-vod`, v20180717
// vod_models.d.ts): FileUploadTask, ProcedureTask, MediaProcessTaskResult, TranscodeTask2017,
// FileDeleteTask/MediaDeleteItem, ReviewAudioVideoTask, and the `*Task` types that make a file.

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map((item) => asObject(item) ?? {}) : []);

/** `ProcedureStateChanged` → `Procedure`, `PullComplete` → `Pull`, `AigcImageTaskComplete` → `AigcImage`. */
export const kindOfV3 = (eventType: string): string =>
  eventType === 'ProcedureStateChanged' ? 'Procedure' : eventType.replace(/(?:TaskComplete|CompleteEvent|Complete)$/, '');

const mediaDetails = (basicInfo: unknown, metaData: unknown): FileDetails => {
  const basic = asObject(basicInfo) ?? {};
  const meta = asObject(metaData) ?? {};
  return {
    name: text(basic.Name),
    media_url: text(basic.MediaUrl),
    cover_url: text(basic.CoverUrl),
    source_context: text(valueAt(basic, 'SourceInfo.SourceContext')),
    duration: finite(meta.Duration),
    size: finite(meta.Size),
  };
};

const metaDetails = (metaData: unknown): FileDetails => {
  const meta = asObject(metaData) ?? {};
  return { duration: finite(meta.Duration), size: finite(meta.Size) };
};

/** A file an event reports as made (uploaded, pulled, edited, generated…), with the procedure it starts. */
interface MadeFile {
  fileId: string | undefined;
  details: FileDetails;
  procedureTaskId?: string | undefined;
}

/** Every place a `*Task` type of the SDK reports a file it made. */
function madeFiles(eventType: string, body: Json): MadeFile[] {
  const output = asObject(body.Output) ?? {};
  const made: MadeFile[] = [];
  if (eventType === 'NewFileUpload' || eventType === 'PullComplete') {
    const details = mediaDetails(body.MediaBasicInfo, body.MetaData);
    made.push({
      fileId: id(body.FileId),
      details: { ...details, media_url: details.media_url ?? text(body.FileUrl) },
      procedureTaskId: id(body.ProcedureTaskId),
    });
  }
  if (id(output.FileId) !== undefined) {
    const details = {
      name: text(output.MediaName),
      media_url: text(output.FileUrl),
      ...metaDetails(body.MetaData ?? output.MetaData),
    };
    made.push({ fileId: id(output.FileId), details, procedureTaskId: id(body.ProcedureTaskId) });
  }
  for (const item of list(output.FileInfos)) {
    made.push({
      fileId: id(item.FileId),
      details: { name: text(item.MediaName), media_url: text(item.FileUrl), ...metaDetails(item.MetaData) },
    });
  }
  for (const item of list(body.FileInfoSet)) {
    const itemOutput = asObject(item.Output);
    made.push(
      itemOutput // SplitMediaTaskSegmentInfo
        ? {
            fileId: id(itemOutput.FileId),
            details: mediaDetails(itemOutput.MediaBasicInfo, undefined),
            procedureTaskId: id(item.ProcedureTaskId),
          }
        : { fileId: id(item.FileId), details: { media_url: text(item.FileUrl) } }, // ConcatFileInfo2017
    );
  }
  const clipFile = asObject(body.FileInfo); // ClipFileInfo2017
  if (clipFile) made.push({ fileId: id(clipFile.FileId), details: { media_url: text(clipFile.FileUrl) } });
  for (const subTask of list(body.SubTaskSet)) {
    for (const file of list(valueAt(subTask, 'Output.OutputFiles')))
      made.push({ fileId: id(file.FileId), details: { media_url: text(file.Url) } });
  }
  return made;
}

/** The sub-task object of one `MediaProcessTaskResult` (the one non-null `*Task` member). */
const subTaskOf = (result: Json): Json =>
  Object.values(result)
    .map(asObject)
    .find((value) => value !== undefined) ?? {};

const subTaskFailed = (task: Json): boolean =>
  task.Status === 'FAIL' || (finite(task.ErrCode) ?? 0) !== 0 || text(task.ErrCodeExt) !== undefined;

/** Outputs and cover of the sub-tasks of a procedure that have succeeded so far. */
function procedureResults(results: Json[]): { outputs: Output[]; coverUrl: string | undefined } {
  const outputs: Output[] = [];
  let coverUrl: string | undefined;
  for (const result of results) {
    const task = subTaskOf(result);
    if (task.Status !== 'SUCCESS') continue;
    const output = asObject(task.Output) ?? {};
    const url = text(output.Url);
    const definition = finite(output.Definition);
    const kind: OutputKind | undefined = result.TranscodeTask
      ? 'transcode'
      : result.AdaptiveDynamicStreamingTask
        ? 'adaptive'
        : undefined;
    if (kind && url !== undefined && definition !== undefined) {
      const format = kind === 'adaptive' ? (text(output.Package) ?? formatOfUrl(url)) : formatOfUrl(url);
      outputs.push({ kind, definition, format, url });
    }
    if (result.CoverBySnapshotTask) coverUrl = text(output.CoverUrl) ?? coverUrl;
  }
  return { outputs, coverUrl };
}

/**
 * `ProcedureStateChanged` and `ReduceMediaBitrateComplete` (both `ProcedureTask`-shaped): a
 * procedure is over at `FINISH`; it failed when any media-processing sub-task failed (its own
 * `ErrCode` is deprecated). With `TasksNotifyMode=Change` the `PROCESSING` events come first.
 */
function procedure(builder: ContributionBuilder, eventType: string, body: Json, generic: Outcome): void {
  const fileId = id(body.FileId);
  const results = list(body.MediaProcessResultSet);
  const failure = results.map(subTaskOf).find(subTaskFailed);
  const finished = body.Status === TaskStatus.finish;
  let outcome = generic;
  if (finished && failure && generic.status !== TaskStatus.fail) {
    outcome = outcomeOf(TaskStatus.fail, finite(failure.ErrCode), text(failure.ErrCodeExt), text(failure.Message));
  }
  const stage = !finished ? Lifecycle.processing : outcome.status === TaskStatus.fail ? Lifecycle.failed : Lifecycle.ready;
  const { outputs, coverUrl } = procedureResults(results);
  const details: FileDetails = {
    name: text(body.FileName),
    media_url: text(body.FileUrl),
    cover_url: coverUrl,
    session_context: text(body.SessionContext),
    ...metaDetails(body.MetaData),
  };
  builder.file(fileId, stageFields(stage, details, outputs));
  builder.task(id(body.TaskId), kindOfV3(eventType), outcome, undefined, [fileId]);
}

/** `TranscodeComplete` (TranscodeTask2017): the renditions of `PlayInfoSet`. */
function transcode2017(builder: ContributionBuilder, body: Json, outcome: Outcome): void {
  const outputs: Output[] = [];
  for (const play of list(body.PlayInfoSet)) {
    const url = text(play.Url);
    const definition = finite(play.Definition);
    if (url !== undefined && definition !== undefined)
      outputs.push({ kind: 'transcode', definition, format: formatOfUrl(url), url });
  }
  const stage = outcome.status === TaskStatus.fail ? Lifecycle.failed : Lifecycle.ready;
  const details = { name: text(body.FileName), duration: finite(body.Duration), cover_url: text(body.CoverUrl) };
  builder.file(id(body.FileId), stageFields(stage, details, outputs));
}

const DELETED_OUTPUTS: Record<string, OutputKind> = { TranscodeFiles: 'transcode', AdaptiveDynamicStreamingFiles: 'adaptive' };

/** `FileDeleted`: the whole file when `OriginalFiles` (or no part) is named, else the named outputs. */
function fileDeleted(builder: ContributionBuilder, body: Json): void {
  const results = new Map(list(body.FileDeleteResultInfo).map((item) => [id(item.FileId), list(item.DeleteParts)]));
  const fileIds = new Set([...(Array.isArray(body.FileIdSet) ? body.FileIdSet.map(id) : []), ...results.keys()]);
  for (const fileId of fileIds) {
    const parts = results.get(fileId) ?? [];
    const whole = parts.length === 0 || parts.some((part) => part.Type === 'OriginalFiles');
    const outputs = parts.flatMap((part) => {
      const kind = DELETED_OUTPUTS[String(part.Type)];
      return kind ? [{ kind, definition: finite(part.Definition) ?? 0 }] : [];
    });
    builder.file(fileId, deletionFields(whole, outputs));
  }
}

/** What one v3 event says about its files and tasks (docs/state.md, "v3"). */
export function contributeV3(builder: ContributionBuilder, event: NormalizedEvent): void {
  const body = findV3Body(asObject(event.payload) ?? {}, event.eventType) ?? {};
  const outcome = outcomeOf(
    event.status ?? undefined,
    event.errCode ?? undefined,
    text(body.ErrCodeExt),
    event.message ?? undefined,
  );
  const kind = kindOfV3(event.eventType);
  switch (event.eventType) {
    case 'FileDeleted':
      return fileDeleted(builder, body);
    case 'ProcedureStateChanged':
    case 'ReduceMediaBitrateComplete':
      return procedure(builder, event.eventType, body, outcome);
    case 'TranscodeComplete':
      transcode2017(builder, body, outcome);
      break;
    case 'ReviewAudioVideoComplete': {
      const suggestion = outcome.status === TaskStatus.fail ? undefined : text(valueAt(body, 'Output.Suggestion'));
      builder.file(id(valueAt(body, 'Input.FileId')), { review_suggestion: [statusRank(outcome.status), suggestion] });
      break;
    }
  }
  const fileIds = [event.fileId ?? undefined];
  if (outcome.status !== TaskStatus.fail) {
    for (const made of madeFiles(event.eventType, body)) {
      const stage = made.procedureTaskId ? Lifecycle.processing : Lifecycle.uploaded;
      builder.file(made.fileId, stageFields(stage, { ...made.details, session_context: text(body.SessionContext) }));
      builder.task(made.procedureTaskId, 'Procedure', { status: TaskStatus.waiting }, undefined, [made.fileId]);
      fileIds.push(made.fileId);
    }
  }
  for (const fileId of fileIds) builder.file(fileId);
  const reviewTaskId = id(body.ReviewAudioVideoTaskId);
  builder.task(reviewTaskId, 'ReviewAudioVideo', { status: TaskStatus.waiting }, undefined, [event.fileId ?? undefined]);
  builder.task(id(body.TaskId), kind, outcome, finite(body.Progress), fileIds);
}
