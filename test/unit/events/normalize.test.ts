import { describe, expect, it } from 'vitest';
import seeds from '../../../samples/seed-events.json';
import { normalize } from '../../../lib/events/normalize';
import { dedupeKey } from '../../../lib/events/dedupe-key';

const pulled = { source: 'pull' as const, api: 'v3' as const };
const callback = { source: 'callback' as const };

describe('normalize: v3 events pulled by PullEvents (seed 001)', () => {
  const [procedure, upload, procedure2, edit] = seeds.pullEvents001.map((content) => normalize(content, pulled));

  it('ProcedureStateChanged carries task, file, status and url', () => {
    expect(procedure).toMatchObject({
      eventType: 'ProcedureStateChanged',
      apiFormat: 'v3',
      source: 'pull',
      taskId: '1256768367-Procedure-475b7237438a39560b9879a4556cb177t1',
      fileId: '5285890784246869930',
      status: 'FINISH',
      errCode: null,
      fileUrl:
        'https://123.vod2.myqcloud.com/d042887avodtransgzp1256768367/c643347c5285890784246869930/1546950643_4191274987.100_0.jpg',
    });
    expect(procedure2?.taskId).toBe('1256768367-procedurev2-49dfbaea6786dd78ecf70d6256c7ec20t0');
  });

  it('NewFileUpload takes the file id and the media url of MediaBasicInfo', () => {
    expect(upload).toMatchObject({
      eventType: 'NewFileUpload',
      taskId: null,
      fileId: '5285890784273533167',
      status: null,
      fileUrl: 'http://123.vod2.myqcloud.com/1c1ae5d2vodgzp1256768367/9ce0cd925285890784273533167/q1BORBPQH1IA.mp4',
    });
  });

  it('EditMediaComplete takes the file of its Output, not the empty one of its Input', () => {
    expect(edit).toMatchObject({
      eventType: 'EditMediaComplete',
      taskId: '1256768367-procedurev2-1b0c3f17fad2f81a5327b57f1005e115t0',
      fileId: '15517827183909093239',
      status: 'FINISH',
      errCode: 0,
      message: null,
      fileUrl: 'http://1256768367.vod2.myqcloud.com/1c1ae5d2vodgzp1256768367/e0a739c115517827183909093239/clip.mp4',
    });
  });

  it('stores the content without its EventHandle, nulls and all', () => {
    const payload = upload?.payload as Record<string, unknown>;
    expect(payload).not.toHaveProperty('EventHandle');
    expect(payload.ProcedureStateChangeEvent).toBeNull();
    const { EventHandle: _, ...rest } = seeds.pullEvents001[1]!;
    expect(payload).toEqual(rest);
  });

  it('gives four different dedupe keys to four different events', () => {
    expect(new Set([procedure, upload, procedure2, edit].map((event) => event?.id)).size).toBe(4);
  });
});

describe('normalize: the same PullComplete by callback and by pull (seed 003)', () => {
  const byCallback = normalize(seeds.pullComplete003Callback, callback);
  const byPull = normalize(seeds.pullComplete003Pulled, pulled);

  it('has one dedupe key', () => {
    expect(byCallback.id).toBe(byPull.id);
    expect(byCallback.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('extracts the same fields from both', () => {
    const fields = {
      eventType: 'PullComplete',
      apiFormat: 'v3',
      taskId: '125676836723-Pull-f5ac8127b3b6b85cdc13f237c6005d8',
      fileId: '14508071098244959037',
      status: 'FINISH',
      errCode: 0,
      message: 'SUCCESS',
      fileUrl: 'http://125676836723.vod2.myqcloud.com/xxx/xxx/xxx.mp4',
    };
    expect(byCallback).toMatchObject({ ...fields, source: 'callback' });
    expect(byPull).toMatchObject({ ...fields, source: 'pull' });
  });
});

describe('normalize: v2 (callback version 4.0) events (seed 002)', () => {
  it('reads the NewFileUpload of PullEvent', () => {
    const event = normalize(seeds.pullEvent002[0]!.eventContent, { source: 'pull', api: 'v2' });
    expect(event).toMatchObject({
      eventType: 'NewFileUpload',
      apiFormat: 'v2',
      fileId: '14508071098244959037',
      fileUrl: 'http://251000330.vod2.myqcloud.com/vod251000330/14508071098244959037/f0.flv',
      taskId: null,
    });
  });

  it('reads the ConcatComplete of PullEvent, whose version is the number 4', () => {
    const event = normalize(seeds.pullEvent002[1]!.eventContent, { source: 'pull', api: 'v2' });
    expect(event).toMatchObject({
      eventType: 'ConcatComplete',
      apiFormat: 'v2',
      taskId: 'concat-1edb7eb88a599d05abe451cfc541cfbd',
      fileId: '14508071098244931831',
      errCode: 0,
      status: null,
    });
  });

  it('reads the ConcatComplete HTTP callback', () => {
    const event = normalize(seeds.concatComplete002Callback, callback);
    expect(event).toMatchObject({
      eventType: 'ConcatComplete',
      apiFormat: 'v2',
      source: 'callback',
      taskId: 'concat-1edb7eb88a599d05abe451cfc541cfbd',
      fileId: '14508071098244931831',
      fileUrl: 'http://125xx.vod2.myqcloud.com/vod125xx/14508071098244931831/playlist.f6.m3u8',
    });
  });

  it('reads ClipComplete, whose data.fileInfo is one object, not a list (266/10157)', () => {
    const clip = {
      version: '4.0',
      eventType: 'ClipComplete',
      data: {
        vodTaskId: 'clipVideo-0a78cf44c4285026a4c',
        status: 0,
        message: '',
        srcFileId: '16092504232103571364',
        fileInfo: { fileId: '14508071098244929440', fileUrl: 'http://125xx.vod2.myqcloud.com/xxx/xxx/f0.mp4', fileType: 'mp4' },
      },
    };
    expect(normalize(clip, callback)).toMatchObject({
      eventType: 'ClipComplete',
      apiFormat: 'v2',
      taskId: 'clipVideo-0a78cf44c4285026a4c',
      fileId: '14508071098244929440',
      fileUrl: 'http://125xx.vod2.myqcloud.com/xxx/xxx/f0.mp4',
      errCode: 0,
    });
  });

  it('reads a task state from data.status when it is text', () => {
    const event = normalize(
      {
        version: '4.0',
        eventType: 'ProcedureStateChanged',
        data: { vodTaskId: 'p-1', status: 'FINISH', errCode: 0, fileId: 'f-1' },
      },
      callback,
    );
    expect(event).toMatchObject({ status: 'FINISH', errCode: 0, taskId: 'p-1', fileId: 'f-1' });
  });
});

describe('normalize: v2-legacy events of PullVodEvent (seed 000)', () => {
  it('uses the task as event type and vod_task_id as task id', () => {
    const [first, second] = seeds.pullVodEvent000.map((item) =>
      normalize(item.eventContent, { source: 'pull', api: 'v2-legacy' }),
    );
    expect(first).toMatchObject({ eventType: 'concatfile', apiFormat: 'v2-legacy', taskId: 'XXXX', errCode: 0, message: null });
    expect(second?.taskId).toBe('YYYY');
    expect(first?.id).not.toBe(second?.id);
  });
});

describe('normalize: content of no known shape', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'hello'],
    ['an array', [1, { EventType: 'NewFileUpload' }]],
    ['an empty object', {}],
    ['EventType of the wrong type', { EventType: 7, FileUploadEvent: { FileId: 'x' } }],
    ['an empty EventType', { EventType: '' }],
  ])('stores %s as Unknown with the raw payload', (_name, content) => {
    const event = normalize(content, { source: 'pull', api: 'v2' });
    expect(event.eventType).toBe('Unknown');
    expect(event.apiFormat).toBe('v2');
    expect(event.payload).toEqual(content);
    expect(event.id).toBe(dedupeKey(content));
  });

  it('defaults the format of unknown callback content to v3', () => {
    expect(normalize({ hello: 'world' }, callback).apiFormat).toBe('v3');
  });

  it('understands a future v3 type through its one non-null object field', () => {
    const event = normalize(
      {
        EventType: 'HologramRenderComplete',
        FileUploadEvent: null,
        HologramRenderCompleteEvent: { TaskId: 't-9', Status: 'FINISH', ErrCode: '0', FileId: 'f-9', Message: 'ok' },
      },
      pulled,
    );
    expect(event).toMatchObject({
      eventType: 'HologramRenderComplete',
      taskId: 't-9',
      status: 'FINISH',
      errCode: 0,
      fileId: 'f-9',
      message: 'ok',
    });
  });

  it('keeps fields out of range or of the wrong type out of their columns', () => {
    const event = normalize(
      {
        EventType: 'PullComplete',
        PullCompleteEvent: { TaskId: { nested: true }, ErrCode: 2 ** 40, Status: ['FINISH'], FileId: 123 },
      },
      pulled,
    );
    expect(event).toMatchObject({ taskId: null, errCode: null, status: null, fileId: '123' });
  });
});

describe('normalize: what is stored', () => {
  it('drops the delivery envelope (handle, Sign, T) from the payload', () => {
    const event = normalize({ ...seeds.pullComplete003Callback, Sign: 'abc', T: 1700000600 }, { source: 'callback' });
    expect(event.payload).toEqual(seeds.pullComplete003Callback);
    expect(event.id).toBe(normalize(seeds.pullComplete003Pulled, pulled).id);
  });

  it('keeps a "__proto__" member as a member', () => {
    const content = JSON.parse('{"EventType":"NewFileUpload","FileUploadEvent":{"FileId":"1","__proto__":{"x":1}}}');
    const payload = normalize(content, callback).payload as { FileUploadEvent: Record<string, unknown> };
    expect(Object.keys(payload.FileUploadEvent)).toEqual(['FileId', '__proto__']);
    expect(JSON.stringify(payload)).toBe(JSON.stringify(content));
  });
});
