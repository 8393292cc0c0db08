import { asObject, type Json } from '../events/fields';
import type { NormalizedEvent } from '../events/types';
import { ContributionBuilder, finite, id, outcomeOf, text } from './contribution';
import { formatOfUrl, stageFields, deletionFields, type Output } from './file-fields';
import { Lifecycle, TaskStatus } from './precedence';

// Shapes of the 2017 API (callback version 4.0, `{version, eventType, data}`) as seeds/002 shows
// them: NewFileUpload `data.{fileId, fileUrl, transcodeTaskId, porncheckTaskId}`, ConcatComplete
// `data.{status, message, vodTaskId, fileInfo[]}`; TranscodeComplete adds `fileName, duration,
// coverUrl, playSet[].{url, definition}`; FileDeleted names `data.fileId` (one id or a list).

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map((item) => asObject(item) ?? {}) : []);

const ids = (value: unknown): (string | undefined)[] => (Array.isArray(value) ? value.map(id) : [id(value)]);

/** A 4.0 event: the v3 precedence applied to the fields the 2017 API has. */
export function contributeV2(builder: ContributionBuilder, event: NormalizedEvent): void {
  const data = asObject(asObject(event.payload)?.data) ?? {};
  const fileId = event.fileId ?? undefined;
  const outcome = outcomeOf(event.status ?? undefined, event.errCode ?? undefined, undefined, event.message ?? undefined);
  const failed = outcome.status === TaskStatus.fail;
  switch (event.eventType) {
    case 'NewFileUpload': {
      // Any `*TaskId` it names is work started on the new file.
      const started = Object.entries(data).some(([key, value]) => key.endsWith('TaskId') && id(value) !== undefined);
      builder.file(
        fileId,
        stageFields(started ? Lifecycle.processing : Lifecycle.uploaded, {
          media_url: text(data.fileUrl),
          name: text(data.fileName),
        }),
      );
      return;
    }
    case 'FileDeleted':
      for (const deleted of ids(data.fileId)) builder.file(deleted, deletionFields(true, []));
      return;
    case 'ProcedureStateChanged': {
      const stage = outcome.status === TaskStatus.finish ? Lifecycle.ready : failed ? Lifecycle.failed : Lifecycle.processing;
      builder.file(fileId, stageFields(stage));
      builder.task(event.taskId ?? undefined, 'Procedure', outcome, undefined, [fileId]);
      return;
    }
    case 'TranscodeComplete': {
      const outputs: Output[] = [];
      for (const play of list(data.playSet)) {
        const url = text(play.url);
        const definition = finite(play.definition);
        if (url !== undefined && definition !== undefined)
          outputs.push({ kind: 'transcode', definition, format: formatOfUrl(url), url });
      }
      const details = { name: text(data.fileName), duration: finite(data.duration), cover_url: text(data.coverUrl) };
      builder.file(fileId, stageFields(failed ? Lifecycle.failed : Lifecycle.ready, details, outputs));
      break;
    }
  }
  // Other completions (ConcatComplete, ClipComplete, …): their `fileInfo` lists the files they made.
  const made = failed ? [] : list(data.fileInfo).filter((file) => (finite(file.status) ?? 0) === 0);
  for (const file of made) builder.file(id(file.fileId), stageFields(Lifecycle.uploaded, { media_url: text(file.fileUrl) }));
  builder.file(fileId);
  const kind = event.eventType.replace(/Complete$/, '');
  builder.task(event.taskId ?? undefined, kind, outcome, undefined, [fileId, ...made.map((file) => id(file.fileId))]);
}

/** `PullVodEvent`: only a task, its code and message; `status` 0 is success. */
export function contributeV2Legacy(builder: ContributionBuilder, event: NormalizedEvent): void {
  const fileId = event.fileId ?? undefined;
  builder.file(fileId);
  const outcome = outcomeOf(undefined, event.errCode ?? undefined, undefined, event.message ?? undefined);
  builder.task(event.taskId ?? undefined, event.eventType, outcome, undefined, [fileId]);
}
