import { describe, expect, it } from 'vitest';
import { normalize } from '../../../lib/events/normalize';
import type { NormalizedEvent } from '../../../lib/events/types';
import { fileState, projectEvents, taskState } from '../../../lib/state';
import { deleteEvent, delivered, procedureEvent, uploadEvent, v2Events } from './histories';

const FILE = '5285890784246869930';
const PROCEDURE = '1256768367-Procedure-475b7237438a39560b9879a4556cb177t1';
const REPROCESS = '1256768367-Procedure-9f0c3e1b2a4d5e6f7a8b9c0d1e2f3a4bt1';

/** Events in arrival order, one second apart. */
function project(...events: NormalizedEvent[]) {
  const state = projectEvents(events.map((event, n) => ({ event, firstReceivedAt: new Date(Date.UTC(2024, 0, 8, 12, 0, n)) })));
  return {
    file: (id = FILE) => fileState(state.files.get(id)!),
    task: (id = PROCEDURE) => taskState(state.tasks.get(id)!),
  };
}

const v3 = (example: Parameters<typeof delivered>[0]) => delivered(example, 'callback');
const upload = v3(uploadEvent(FILE, PROCEDURE));
const started = v3(procedureEvent(FILE, PROCEDURE, 'started'));
const finished = v3(procedureEvent(FILE, PROCEDURE, 'finished'));

describe('state precedence', () => {
  it('a late NewFileUpload leaves the outputs, URL and lifecycle of a finished procedure alone', () => {
    const { file } = project(finished, upload);
    expect(file()).toMatchObject({
      lifecycle: 'ready',
      mediaUrl: `https://1256768367.vod2.myqcloud.com/vodgzp1256768367/${FILE}/source.mp4`,
      coverUrl: `https://1256768367.vod2.myqcloud.com/vodgzp1256768367/${FILE}/cover.jpg`,
      // The upload still gives what only it knows.
      sourceContext: null,
      name: 'small',
    });
    expect(file().outputs.map((output) => [output.format, output.definition])).toEqual([
      ['HLS', 12],
      ['mp4', 100030],
    ]);
    expect(file().eventIds).toHaveLength(2);
    expect(file().firstEventAt).toBe('2024-01-08T12:00:00.000Z');
    expect(file().lastEventAt).toBe('2024-01-08T12:00:01.000Z');
  });

  it('a PROCESSING that arrives after FINISH leaves the task FINISH and the file ready', () => {
    const { file, task } = project(upload, finished, started);
    expect(task()).toMatchObject({ kind: 'Procedure', status: 'FINISH', fileIds: [FILE] });
    expect(file().lifecycle).toBe('ready');
  });

  it('the procedure announced by NewFileUpload waits until a ProcedureStateChanged says more', () => {
    const { file, task } = project(upload);
    expect(task()).toMatchObject({ status: 'WAITING', fileIds: [FILE] });
    expect(file().lifecycle).toBe('processing');
  });

  it('FileDeleted is final: a procedure that finishes afterwards does not bring the file back', () => {
    const { file } = project(upload, v3(deleteEvent(FILE)), finished);
    expect(file().lifecycle).toBe('deleted');
  });

  it('deleting the transcoded files removes those outputs, not the file', () => {
    const transcodesDeleted = v3(deleteEvent(FILE, [{ FileId: FILE, DeleteParts: [{ Type: 'TranscodeFiles', Definition: 0 }] }]));
    const { file } = project(transcodesDeleted, finished);
    expect(file().lifecycle).toBe('ready');
    expect(file().outputs.map((output) => output.kind)).toEqual(['adaptive']);
  });

  it('a failed sub-task makes the procedure FAIL with its code, final against a later PROCESSING', () => {
    const failed = v3(procedureEvent(FILE, REPROCESS, 'failed'));
    const { task } = project(failed, v3(procedureEvent(FILE, REPROCESS, 'started')));
    expect(task(REPROCESS)).toMatchObject({ status: 'FAIL', errCode: 70000, message: 'internal error' });
  });

  it('a file with one finished and one failed procedure is ready; the failure stays on its task', () => {
    const { file, task } = project(v3(procedureEvent(FILE, REPROCESS, 'failed')), finished);
    expect(file().lifecycle).toBe('ready');
    expect(task(REPROCESS).status).toBe('FAIL');
  });

  it('Change-mode events build the outputs up as sub-tasks succeed', () => {
    const { file } = project(started, v3(procedureEvent(FILE, PROCEDURE, 'transcoded')));
    expect(file()).toMatchObject({
      lifecycle: 'processing',
      outputs: [{ kind: 'transcode', definition: 100030, format: 'mp4' }],
    });
  });

  it('between two events of one stage the greater event id wins, whichever came first', () => {
    // The upload and the first Change event are both "processing" and name the file differently.
    const winner = upload.id > started.id ? 'q1BORBPQH1IA' : 'small';
    expect(project(upload, started).file().name).toBe(winner);
    expect(project(started, upload).file().name).toBe(winner);
  });

  it('a duplicate delivered by the other path, with its first arrival time, changes nothing', () => {
    const at = (second: number) => new Date(Date.UTC(2024, 0, 8, 12, 0, second));
    const pulledAgain = delivered(uploadEvent(FILE, PROCEDURE), 'pull');
    expect(pulledAgain.id).toBe(upload.id);
    const once = projectEvents([
      { event: upload, firstReceivedAt: at(0) },
      { event: finished, firstReceivedAt: at(1) },
    ]);
    const twice = projectEvents([
      { event: upload, firstReceivedAt: at(0) },
      { event: finished, firstReceivedAt: at(1) },
      { event: pulledAgain, firstReceivedAt: at(0) },
    ]);
    expect(twice).toEqual(once);
  });

  it('reads the 2017 API: upload, procedure, transcode and deletion', () => {
    const events = v2Events('14508071098244959037', 'v2-procedure');
    const v2 = (content: unknown) => normalize(content, { source: 'pull', api: 'v2' });
    const { file, task } = project(v2(events.finished), v2(events.upload), v2(events.transcoded), v2(events.processing));
    expect(file('14508071098244959037')).toMatchObject({
      lifecycle: 'ready',
      name: 'lecture',
      duration: 60,
      outputs: [{ kind: 'transcode', definition: 230, format: 'HLS' }],
    });
    expect(task('v2-procedure')).toMatchObject({ kind: 'Procedure', status: 'FINISH' });
    expect(project(v2(events.deleted), v2(events.finished)).file('14508071098244959037').lifecycle).toBe('deleted');
  });
});
