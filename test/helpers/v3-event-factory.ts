import type {
  AigcImageTask,
  AigcVideoTask,
  ClipTask2017,
  ComplexAdaptiveDynamicStreamingTask,
  ComposeMediaTask,
  ConcatTask2017,
  CreateAigcAdvancedCustomElementTask,
  CreateAigcCustomVoiceTask,
  CreateImageSpriteTask2017,
  DescribeAigcFaceInfoAsyncTask,
  DescribeFileAttributesTask,
  EditMediaTask,
  EditMediaTaskOutput,
  EventContent,
  ExtractBlindWatermarkTask,
  ExtractCopyRightWatermarkTask,
  ExtractTraceWatermarkTask,
  FileDeleteTask,
  FileUploadTask,
  MediaBasicInfo,
  MediaCastEvent,
  MediaMetaData,
  PersistenceCompleteTask,
  ProcedureTask,
  ProcessImageAsyncTask,
  ProcessMediaByMPS,
  PullUploadTask,
  QualityEnhanceTask,
  QualityInspectTask,
  RebuildMediaTask,
  ReduceMediaBitrateTask,
  RemoveWatermarkTask,
  RestoreMediaTask,
  ReviewAudioVideoTask,
  SceneAigcImageTask,
  SnapshotByTimeOffsetTask2017,
  SplitMediaTask,
  TranscodeTask2017,
  WechatMiniProgramPublishTask,
  WechatPublishTask,
} from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';
import { NO_FIELDS, type ExtractedFields } from '../../lib/events/types';
import { V3_BODY_FIELDS, type V3BodyField } from '../../lib/events/v3-bodies';
import { seededRandom } from './random-json';

/**
 * An SDK model as JSON on the wire: any member may be null (PullEvents sends nulls), optional
 * members may be absent, and names are checked against the SDK at every depth.
 */
type Wire<T> = T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> | null } : T;

export type V3EventType = keyof typeof V3_BODY_FIELDS;

/** The columns `normalize` should extract from an event. */
export type ExpectedFields = ExtractedFields;

export interface V3Example {
  eventType: V3EventType;
  bodyField: V3BodyField;
  body: Record<string, unknown>;
  expected: ExpectedFields;
}

const APP_ID = '1256768367';
const FOREVER = '9999-12-31T23:59:59Z';

/** The identifiers of one generated event; every one of them is unique to it. */
interface Ids {
  file: string;
  /** Another file: the input of tasks that make a new file. */
  sourceFile: string;
  hex: string;
  time: string;
  /** A v3 task id, `<appid>-<kind>-<hex>t0`. */
  task(kind: string): string;
  /** A playback URL of `file`. */
  url(name: string): string;
}

function makeIds(random: () => number, n: number): Ids {
  const randomHex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  // The counter is part of every id, so ids of one batch never collide.
  const counter = n.toString(16).padStart(8, '0');
  const hex = randomHex(24) + counter;
  const fileNumber = (prefix: number) =>
    `${prefix}${String(Math.floor(random() * 1e5)).padStart(5, '0')}${String(n).padStart(10, '0')}`;
  const file = fileNumber(5285);
  const [bucket, folder] = [randomHex(8), randomHex(8)];
  return {
    file,
    sourceFile: fileNumber(3701),
    hex,
    time: new Date(Date.UTC(2024, 0, 8, 12, 30, 43) + n * 1000).toISOString().replace('.000', ''),
    task: (kind) => `${APP_ID}-${kind}-${hex}t0`,
    url: (name) => `https://${APP_ID}.vod2.myqcloud.com/${bucket}vodgzp${APP_ID}/${folder}${file}/${name}`,
  };
}

/** The columns `normalize` should extract: the ones `found`, every other one empty. */
const fields = (found: Partial<ExpectedFields>): ExpectedFields => ({ ...NO_FIELDS, ...found });

const metaData = (duration: number) =>
  ({
    Size: 7_700_180,
    Container: 'mov,mp4,m4a,3gp,3g2,mj2',
    Bitrate: 1_021_028,
    Height: 480,
    Width: 640,
    Duration: duration,
    Rotate: 0,
    VideoStreamSet: [
      { Bitrate: 637_174, Height: 480, Width: 640, Codec: 'h264', Fps: 25, CodecTag: 'avc1', DynamicRangeInfo: null },
    ],
    AudioStreamSet: [{ Bitrate: 383_854, SamplingRate: 48_000, Codec: 'aac' }],
    VideoDuration: duration,
    AudioDuration: duration - 0.01,
    Md5: null,
  }) satisfies Wire<MediaMetaData>;

const basicInfo = (id: Ids, name: string, mediaUrl: string) =>
  ({
    Name: name,
    Description: '',
    CreateTime: id.time,
    UpdateTime: id.time,
    ExpireTime: FOREVER,
    ClassId: 0,
    ClassName: '其他',
    ClassPath: '',
    CoverUrl: '',
    Type: 'mp4',
    MediaUrl: mediaUrl,
    SourceInfo: { SourceType: 'Upload', SourceContext: '', LiveRecordInfo: null, TrtcRecordInfo: null, WebPageRecordInfo: null },
    StorageRegion: 'ap-guangzhou',
    TagSet: [],
    Vid: '',
    Category: 'Video',
    Status: 'Normal',
    StorageClass: 'STANDARD',
  }) satisfies Wire<MediaBasicInfo>;

/** The output block shared by the tasks that write a new media file. */
const newFile = (id: Ids, name: string) =>
  ({
    FileType: 'mp4',
    FileUrl: id.url(`${name}.mp4`),
    FileId: id.file,
    MediaName: name,
    ClassId: 0,
    ExpireTime: FOREVER,
  }) satisfies Wire<EditMediaTaskOutput>;

const finished = { Status: 'FINISH', ErrCode: 0, Message: 'SUCCESS' } as const;
const finishedFields = { status: 'FINISH', errCode: 0, message: 'SUCCESS' } as const;
const noSession = { SessionId: '', SessionContext: '' } as const;

type Built<T extends V3EventType> = {
  body: Wire<NonNullable<EventContent[(typeof V3_BODY_FIELDS)[T]]>>;
  expected: ExpectedFields;
};
type Builder<T extends V3EventType> = (id: Ids) => Built<T>;

// Types the SDK documents under two spellings share one builder.
const sceneAigcImage = (id: Ids) => ({
  body: {
    TaskId: id.task('SceneAigcImage'),
    ...finished,
    Progress: 100,
    Input: {
      SceneInfo: { Type: 'AiTryOn', AiTryOnConfig: null, ChangeClothesConfig: null, ProductImageConfig: null },
      FileInfos: [{ Type: 'File', FileId: id.sourceFile, Url: null }],
      OutputConfig: { StorageMode: 'Permanent', MediaName: 'try-on', ClassId: 0, ExpireTime: null, AspectRatio: '3:4' },
    },
    Output: {
      FileInfos: [
        {
          StorageMode: 'Permanent',
          MediaName: 'try-on',
          FileType: 'png',
          FileUrl: id.url('try-on.png'),
          FileId: id.file,
          MetaData: null,
        },
      ],
    },
    ...noSession,
  } satisfies Wire<SceneAigcImageTask>,
  expected: fields({ taskId: id.task('SceneAigcImage'), ...finishedFields, fileId: id.file, fileUrl: id.url('try-on.png') }),
});

const processImageAsync = (id: Ids) => ({
  // The SDK's task has no id of its own; the resource path keeps generated events distinct.
  body: {
    EncodeConfig: { Format: 'JPEG', Quality: 85 },
    EnhanceConfig: {
      SuperResolution: { Switch: 'ON', Type: 'lq', Size: 2 },
      AdvancedSuperResolution: null,
      Denoise: { Switch: 'ON', Type: 'weak' },
      ImageQualityEnhance: null,
      ColorEnhance: null,
      SharpEnhance: null,
      FaceEnhance: null,
      LowLightEnhance: null,
    },
    BeautyConfig: {
      BeautyEffectItems: [{ Switch: 'ON', Type: 'Makeup', Value: 40, ResourcePath: id.url('makeup.zip'), ExtInfo: null }],
      BeautyFilterItems: [],
    },
  } satisfies Wire<ProcessImageAsyncTask>,
  expected: fields({}),
});

const aigcCustomElement = (id: Ids) => ({
  body: {
    TaskId: id.task('AigcCustomElement'),
    ...finished,
    ErrCodeExt: '',
    Progress: 100,
    Input: {
      ElementName: 'mascot',
      ElementDescription: 'the shop mascot, a red panda',
      ReferenceType: 'image',
      ElementVoiceId: null,
      ElementVideoList: null,
      ElementImageList: JSON.stringify([id.url('mascot.png')]),
      TagList: 'animal',
    },
    Output: { InfoList: [{ ElementId: `element-${id.hex}`, ElementInfo: '{"Status":"Ready"}' }] },
    ...noSession,
  } satisfies Wire<CreateAigcAdvancedCustomElementTask>,
  expected: fields({ taskId: id.task('AigcCustomElement'), ...finishedFields }),
});

const aigcCustomVoice = (id: Ids) => ({
  body: {
    TaskId: id.task('AigcCustomVoice'),
    ...finished,
    ErrCodeExt: '',
    Progress: 100,
    Input: { VoiceName: 'narrator', VoiceUrl: id.url('narrator.mp3'), VideoId: null },
    Output: { InfoList: [{ VoiceId: `voice-${id.hex}`, VoiceInfo: '{"Language":"zh"}' }] },
    ...noSession,
  } satisfies Wire<CreateAigcCustomVoiceTask>,
  expected: fields({ taskId: id.task('AigcCustomVoice'), ...finishedFields }),
});

/** One builder per documented event type; the mapped type makes a missing type a compile error. */
const BUILDERS: { [T in V3EventType]: Builder<T> } = {
  NewFileUpload: (id) => ({
    body: {
      FileId: id.file,
      MediaBasicInfo: basicInfo(id, 'q1BORBPQH1IA', id.url('q1BORBPQH1IA.mp4')),
      ProcedureTaskId: id.task('procedurev2'),
      ReviewAudioVideoTaskId: '',
      MetaData: metaData(60),
    } satisfies Wire<FileUploadTask>,
    expected: fields({ taskId: id.task('procedurev2'), fileId: id.file, fileUrl: id.url('q1BORBPQH1IA.mp4') }),
  }),
  ProcedureStateChanged: (id) => ({
    body: {
      TaskId: id.task('Procedure'),
      ...finished,
      FileId: id.file,
      FileName: 'small',
      FileUrl: id.url('small.mp4'),
      MetaData: metaData(60),
      MediaProcessResultSet: [
        {
          Type: 'Transcode',
          TranscodeTask: {
            ...finished,
            Status: 'SUCCESS',
            ErrCodeExt: '',
            Input: { Definition: 100030, WatermarkSet: null, HeadTailSet: null },
            Output: {
              Url: id.url('v.f100030.mp4'),
              Definition: 100030,
              Bitrate: 1_000_000,
              Height: 720,
              Width: 1280,
              Size: 7_500_000,
              Duration: 60,
              Md5: '',
              Container: 'mp4',
              FileId: null,
            },
            Progress: 100,
            BeginProcessTime: id.time,
            FinishTime: id.time,
          },
          AnimatedGraphicTask: null,
          SnapshotByTimeOffsetTask: null,
          SampleSnapshotTask: null,
          ImageSpriteTask: null,
          CoverBySnapshotTask: null,
          AdaptiveDynamicStreamingTask: null,
        },
      ],
      AiContentReviewResultSet: [],
      AiAnalysisResultSet: [],
      AiRecognitionResultSet: [],
      TasksPriority: 0,
      TasksNotifyMode: 'Finish',
      ...noSession,
      Operator: '',
      OperationType: '',
    } satisfies Wire<ProcedureTask>,
    expected: fields({ taskId: id.task('Procedure'), ...finishedFields, fileId: id.file, fileUrl: id.url('small.mp4') }),
  }),
  FileDeleted: (id) => ({
    body: {
      FileIdSet: [id.file],
      FileDeleteResultInfo: [{ FileId: id.file, DeleteParts: [{ Type: 'OriginalFiles', Definition: 0 }] }],
    } satisfies Wire<FileDeleteTask>,
    expected: fields({ fileId: id.file }),
  }),
  PullComplete: (id) => ({
    body: {
      TaskId: id.task('Pull'),
      ...finished,
      FileId: id.file,
      MediaBasicInfo: basicInfo(id, 'pulled', id.url('pulled.mp4')),
      MetaData: null,
      FileUrl: id.url('pulled.mp4'),
      ProcedureTaskId: '',
      ReviewAudioVideoTaskId: '',
      ...noSession,
      Progress: 100,
    } satisfies Wire<PullUploadTask>,
    expected: fields({ taskId: id.task('Pull'), ...finishedFields, fileId: id.file, fileUrl: id.url('pulled.mp4') }),
  }),
  EditMediaComplete: (id) => ({
    body: {
      TaskId: id.task('EditMedia'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: {
        InputType: 'File',
        FileInfoSet: [{ FileId: id.sourceFile, StartTimeOffset: 1, EndTimeOffset: 5 }],
        StreamInfoSet: null,
      },
      Output: newFile(id, 'clip'),
      MetaData: metaData(4),
      ProcedureTaskId: '',
      ReviewAudioVideoTaskId: '',
      ...noSession,
    } satisfies Wire<EditMediaTask>,
    expected: fields({ taskId: id.task('EditMedia'), ...finishedFields, fileId: id.file, fileUrl: id.url('clip.mp4') }),
  }),
  SplitMediaComplete: (id) => ({
    body: {
      TaskId: id.task('SplitMedia'),
      ...finished,
      ErrCodeExt: '',
      FileInfoSet: [
        {
          Input: {
            FileId: id.sourceFile,
            StartTimeOffset: 0,
            EndTimeOffset: 30,
            ProcedureName: null,
            OutputConfig: { MediaName: 'part-1', Type: 'video', ClassId: 0, ExpireTime: null },
          },
          Output: { FileId: id.file, MediaBasicInfo: basicInfo(id, 'part-1', id.url('part-1.mp4')) },
          ProcedureTaskId: '',
          ReviewAudioVideoTaskId: '',
        },
      ],
      ...noSession,
      Progress: 100,
    } satisfies Wire<SplitMediaTask>,
    expected: fields({ taskId: id.task('SplitMedia'), ...finishedFields, fileId: id.file, fileUrl: id.url('part-1.mp4') }),
  }),
  ComposeMediaComplete: (id) => ({
    body: {
      TaskId: id.task('ComposeMedia'),
      ...finished,
      Progress: 100,
      Input: {
        Tracks: [
          {
            Type: 'Video',
            TrackItems: [
              {
                Type: 'Video',
                VideoItem: { SourceMedia: id.sourceFile, SourceMediaStartTime: 0, Duration: 10 },
                AudioItem: null,
                StickerItem: null,
                TransitionItem: null,
                EmptyItem: null,
              },
            ],
          },
        ],
        Canvas: null,
        Output: {
          FileName: 'composed',
          Description: '',
          ClassId: 0,
          ExpireTime: FOREVER,
          Container: 'mp4',
          VideoStream: null,
          AudioStream: null,
        },
      },
      Output: newFile(id, 'composed'),
      MetaData: metaData(10),
      ...noSession,
    } satisfies Wire<ComposeMediaTask>,
    expected: fields({ taskId: id.task('ComposeMedia'), ...finishedFields, fileId: id.file, fileUrl: id.url('composed.mp4') }),
  }),
  ClipComplete: (id) => ({
    body: {
      TaskId: `clip-${id.hex}`,
      SrcFileId: id.sourceFile,
      FileInfo: { ErrCode: 0, Message: 'SUCCESS', FileId: id.file, FileUrl: id.url('clip.mp4'), FileType: 'mp4' },
    } satisfies Wire<ClipTask2017>,
    expected: fields({ taskId: `clip-${id.hex}`, errCode: 0, message: 'SUCCESS', fileId: id.file, fileUrl: id.url('clip.mp4') }),
  }),
  TranscodeComplete: (id) => ({
    body: {
      TaskId: `transcode-${id.hex}`,
      ErrCode: 0,
      Message: 'SUCCESS',
      FileId: id.file,
      FileName: 'lecture',
      Duration: 60,
      CoverUrl: id.url('cover.jpg'),
      PlayInfoSet: [
        { Url: id.url('f0.f20.mp4'), Definition: 20, Bitrate: 256_000, Height: 360, Width: 640 },
        { Url: id.url('f0.f30.mp4'), Definition: 30, Bitrate: 512_000, Height: 540, Width: 960 },
      ],
    } satisfies Wire<TranscodeTask2017>,
    // Several renditions and no source URL: no single file URL to store.
    expected: fields({ taskId: `transcode-${id.hex}`, errCode: 0, message: 'SUCCESS', fileId: id.file }),
  }),
  CreateImageSpriteComplete: (id) => ({
    body: {
      TaskId: `imageSprite-${id.hex}`,
      ErrCode: 0,
      Message: 'SUCCESS',
      FileId: id.file,
      Definition: 10,
      TotalCount: 10,
      ImageSpriteUrlSet: [id.url('imageSprite/imageSprite_10_0.jpg')],
      WebVttUrl: id.url('imageSprite/imageSprite_10.vtt'),
    } satisfies Wire<CreateImageSpriteTask2017>,
    expected: fields({ taskId: `imageSprite-${id.hex}`, errCode: 0, message: 'SUCCESS', fileId: id.file }),
  }),
  ConcatComplete: (id) => ({
    body: {
      TaskId: `concat-${id.hex}`,
      FileInfoSet: [{ ErrCode: 0, Message: 'SUCCESS', FileId: id.file, FileUrl: id.url('playlist.f6.m3u8'), FileType: 'm3u8' }],
    } satisfies Wire<ConcatTask2017>,
    expected: fields({
      taskId: `concat-${id.hex}`,
      errCode: 0,
      message: 'SUCCESS',
      fileId: id.file,
      fileUrl: id.url('playlist.f6.m3u8'),
    }),
  }),
  CreateSnapshotByTimeOffsetComplete: (id) => ({
    body: {
      TaskId: `snapshotByTimeOffset-${id.hex}`,
      FileId: id.file,
      Definition: 10,
      SnapshotInfoSet: [{ ErrCode: 0, TimeOffset: 1000, Url: id.url('snapshotByTimeOffset/10_1000.jpg') }],
    } satisfies Wire<SnapshotByTimeOffsetTask2017>,
    expected: fields({ taskId: `snapshotByTimeOffset-${id.hex}`, fileId: id.file }),
  }),
  WechatPublishComplete: (id) => ({
    body: {
      TaskId: id.task('WechatPublish'),
      ...finished,
      FileId: id.file,
      Definition: 0,
      SourceDefinition: 0,
      WechatStatus: 'SUCCESS',
      WechatVid: `wxv_${id.hex}`,
      WechatUrl: `https://mp.weixin.qq.com/mp/videoplayer?vid=wxv_${id.hex}`,
    } satisfies Wire<WechatPublishTask>,
    expected: fields({ taskId: id.task('WechatPublish'), ...finishedFields, fileId: id.file }),
  }),
  WechatMiniProgramPublishComplete: (id) => ({
    body: {
      TaskId: id.task('WechatMiniProgramPublish'),
      ...finished,
      FileId: id.file,
      SourceDefinition: 0,
      PublishResult: 'Pass',
    } satisfies Wire<WechatMiniProgramPublishTask>,
    expected: fields({ taskId: id.task('WechatMiniProgramPublish'), ...finishedFields, fileId: id.file }),
  }),
  RemoveWatermark: (id) => ({
    body: {
      TaskId: id.task('RemoveWatermark'),
      ...finished,
      ErrCodeExt: '',
      Input: { FileId: id.sourceFile },
      Output: { FileId: id.file, FileType: 'mp4', FileUrl: id.url('clean.mp4'), MediaName: 'clean', MetaData: metaData(60) },
      ...noSession,
    } satisfies Wire<RemoveWatermarkTask>,
    expected: fields({ taskId: id.task('RemoveWatermark'), ...finishedFields, fileId: id.file, fileUrl: id.url('clean.mp4') }),
  }),
  RestoreMediaComplete: (id) => ({
    // Status and Message are deprecated in the SDK, so a current event leaves them out.
    body: {
      FileId: id.file,
      OriginalStorageClass: 'ARCHIVE',
      TargetStorageClass: 'ARCHIVE',
      RestoreTier: 'Standard',
      RestoreDay: 3,
    } satisfies Wire<RestoreMediaTask>,
    expected: fields({ fileId: id.file }),
  }),
  RebuildMediaComplete: (id) => ({
    body: {
      TaskId: id.task('RebuildMedia'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: {
        FileId: id.sourceFile,
        StartTimeOffset: 0,
        EndTimeOffset: 60,
        Definition: 0,
        RepairInfo: { Switch: 'ON', Type: 'weak' },
        VideoFrameInterpolationInfo: null,
        SuperResolutionInfo: { Switch: 'ON', Type: 'lq', Size: 2 },
        HDRInfo: null,
        VideoDenoiseInfo: null,
        AudioDenoiseInfo: null,
        ColorInfo: null,
        SharpInfo: null,
        FaceInfo: null,
        LowLightInfo: null,
        ScratchRepairInfo: null,
        ArtifactRepairInfo: null,
        TargetInfo: null,
      },
      Output: newFile(id, 'rebuilt'),
      MetaData: metaData(60),
      ...noSession,
    } satisfies Wire<RebuildMediaTask>,
    expected: fields({ taskId: id.task('RebuildMedia'), ...finishedFields, fileId: id.file, fileUrl: id.url('rebuilt.mp4') }),
  }),
  ExtractTraceWatermarkComplete: (id) => ({
    body: {
      TaskId: id.task('ExtractTraceWatermark'),
      ...finished,
      ErrCodeExt: '',
      Input: { Url: id.url('leaked.mp4'), FileId: id.file },
      Output: { Uv: 'a1b2c3', Uid: '' },
      ...noSession,
    } satisfies Wire<ExtractTraceWatermarkTask>,
    expected: fields({
      taskId: id.task('ExtractTraceWatermark'),
      ...finishedFields,
      fileId: id.file,
      fileUrl: id.url('leaked.mp4'),
    }),
  }),
  ExtractCopyRightWatermarkComplete: (id) => ({
    body: {
      TaskId: id.task('ExtractCopyRightWatermark'),
      ...finished,
      ErrCodeExt: '',
      Input: { Url: id.url('copy.mp4') },
      Output: { Text: 'vod-events' },
      ...noSession,
    } satisfies Wire<ExtractCopyRightWatermarkTask>,
    expected: fields({ taskId: id.task('ExtractCopyRightWatermark'), ...finishedFields, fileUrl: id.url('copy.mp4') }),
  }),
  ReviewAudioVideoComplete: (id) => ({
    // This task reports errors only as the string ErrCodeExt, which the integer column cannot hold.
    body: {
      TaskId: id.task('ReviewAudioVideo'),
      Status: 'FINISH',
      ErrCodeExt: '',
      Message: '',
      Input: { FileId: id.file, Definition: 0, ReviewContents: ['Media', 'Cover'] },
      Output: {
        Suggestion: 'pass',
        Label: '',
        Form: '',
        SegmentSet: [],
        SegmentSetFileUrl: '',
        SegmentSetFileUrlExpireTime: '',
        CoverReviewResult: null,
      },
      ...noSession,
    } satisfies Wire<ReviewAudioVideoTask>,
    expected: fields({ taskId: id.task('ReviewAudioVideo'), status: 'FINISH', fileId: id.file }),
  }),
  ReduceMediaBitrateComplete: (id) => ({
    body: {
      TaskId: id.task('ReduceMediaBitrate'),
      Status: 'FINISH',
      FileId: id.file,
      FileName: 'lecture',
      FileUrl: id.url('lecture.mp4'),
      MetaData: metaData(60),
      MediaProcessResultSet: [],
      TasksPriority: 0,
      TasksNotifyMode: 'Finish',
      ...noSession,
    } satisfies Wire<ReduceMediaBitrateTask>,
    expected: fields({
      taskId: id.task('ReduceMediaBitrate'),
      status: 'FINISH',
      fileId: id.file,
      fileUrl: id.url('lecture.mp4'),
    }),
  }),
  DescribeFileAttributesComplete: (id) => ({
    body: {
      TaskId: id.task('DescribeFileAttributes'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      FileId: id.file,
      Output: { Md5: 'd41d8cd98f00b204e9800998ecf8427e', Sha1: null },
      ...noSession,
    } satisfies Wire<DescribeFileAttributesTask>,
    expected: fields({ taskId: id.task('DescribeFileAttributes'), ...finishedFields, fileId: id.file }),
  }),
  QualityInspectComplete: (id) => ({
    body: {
      TaskId: id.task('QualityInspect'),
      Status: 'FINISH',
      ErrCodeExt: '',
      Message: 'SUCCESS',
      MetaData: metaData(60),
      Input: { FileId: id.file, Definition: 0 },
      Output: { NoAudio: 0, NoVideo: 0, QualityEvaluationScore: 92, QualityInspectResultSet: [], LLMDetectionReport: null },
      ...noSession,
    } satisfies Wire<QualityInspectTask>,
    expected: fields({ taskId: id.task('QualityInspect'), status: 'FINISH', message: 'SUCCESS', fileId: id.file }),
  }),
  QualityEnhanceComplete: (id) => ({
    body: {
      TaskId: id.task('QualityEnhance'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: { FileId: id.sourceFile, Definition: 1001 },
      Output: newFile(id, 'enhanced'),
      MetaData: metaData(60),
      ...noSession,
    } satisfies Wire<QualityEnhanceTask>,
    expected: fields({ taskId: id.task('QualityEnhance'), ...finishedFields, fileId: id.file, fileUrl: id.url('enhanced.mp4') }),
  }),
  MediaCastStatusChanged: (id) => ({
    body: { CastId: `cast-${id.hex}`, Status: 'Working' } satisfies Wire<MediaCastEvent>,
    expected: fields({ status: 'Working' }),
  }),
  PersistenceComplete: (id) => ({
    body: { FileId: id.file, PersistenceSource: 'SimpleHlsClip' } satisfies Wire<PersistenceCompleteTask>,
    expected: fields({ fileId: id.file }),
  }),
  ComplexAdaptiveDynamicStreamingComplete: (id) => ({
    body: {
      TaskId: id.task('ComplexAdaptiveDynamicStreaming'),
      Status: 'FINISH',
      ComplexAdaptiveDynamicStreamingTaskResultSet: [
        {
          Status: 'SUCCESS',
          ErrCodeExt: '',
          Message: 'SUCCESS',
          Progress: 100,
          Input: { StreamPara: { Definition: 12 } },
          Output: { Definition: 12, Format: 'HLS', DrmType: '', Url: id.url('adp.12.m3u8') },
        },
      ],
    } satisfies Wire<ComplexAdaptiveDynamicStreamingTask>,
    expected: fields({ taskId: id.task('ComplexAdaptiveDynamicStreaming'), status: 'FINISH', fileUrl: id.url('adp.12.m3u8') }),
  }),
  ProcessMediaByMPSComplete: (id) => ({
    body: {
      TaskId: id.task('ProcessMediaByMPS'),
      ...finished,
      SubTaskSet: [
        {
          TaskType: 'AiAnalysis.DeLogo',
          Status: 'SUCCESS',
          ErrCode: '0',
          Message: 'SUCCESS',
          Input: JSON.stringify({ FileId: id.sourceFile }),
          Output: {
            OutputFiles: [
              {
                FileType: 'AiAnalysis.DeLogo.Video',
                StorageMode: 'Permanent',
                FileId: id.file,
                Url: id.url('delogo.mp4'),
                Definition: null,
                ExpiredTime: null,
              },
            ],
            OutputText: null,
          },
        },
      ],
    } satisfies Wire<ProcessMediaByMPS>,
    expected: fields({ taskId: id.task('ProcessMediaByMPS'), ...finishedFields, fileId: id.file, fileUrl: id.url('delogo.mp4') }),
  }),
  AigcImageTaskComplete: (id) => ({
    body: {
      TaskId: id.task('AigcImage'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: {
        ModelName: 'Hunyuan',
        ModelVersion: '3.0',
        FileInfos: [],
        Prompt: 'a red panda reading a newspaper',
        NegativePrompt: '',
        EnhancePrompt: 'Enabled',
        OutputConfig: {
          StorageMode: 'Permanent',
          MediaName: 'panda',
          ClassId: 0,
          ExpireTime: null,
          Resolution: '1080P',
          AspectRatio: '1:1',
        },
        Seed: 42,
      },
      Output: {
        FileInfos: [
          {
            StorageMode: 'Permanent',
            MediaName: 'panda',
            FileType: 'png',
            FileUrl: id.url('panda.png'),
            FileId: id.file,
            MetaData: null,
          },
        ],
      },
      ...noSession,
    } satisfies Wire<AigcImageTask>,
    expected: fields({ taskId: id.task('AigcImage'), ...finishedFields, fileId: id.file, fileUrl: id.url('panda.png') }),
  }),
  AigcVideoTaskComplete: (id) => ({
    body: {
      TaskId: id.task('AigcVideo'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: {
        ModelName: 'Kling',
        ModelVersion: '2.1',
        FileInfos: [{ Type: 'File', FileId: id.sourceFile, Url: null }],
        Prompt: 'the panda waves',
        OutputConfig: {
          StorageMode: 'Permanent',
          MediaName: 'wave',
          ClassId: 0,
          Duration: 5,
          Resolution: '720P',
          AspectRatio: '16:9',
        },
      },
      Output: {
        FileInfos: [
          {
            StorageMode: 'Permanent',
            MediaName: 'wave',
            FileType: 'mp4',
            FileUrl: id.url('wave.mp4'),
            FileId: id.file,
            MetaData: metaData(5),
          },
        ],
        ProcedureTaskIds: [],
        Usage: { OutputSeconds: 5, TotalSeconds: 5 },
      },
      ...noSession,
    } satisfies Wire<AigcVideoTask>,
    expected: fields({ taskId: id.task('AigcVideo'), ...finishedFields, fileId: id.file, fileUrl: id.url('wave.mp4') }),
  }),
  ExtractBlindWatermarkComplete: (id) => ({
    body: {
      TaskId: id.task('ExtractBlindWatermark'),
      ...finished,
      InputInfo: { Type: 'FILEID', FileId: id.file, Url: null },
      Type: 'blind-basic',
      IsDetected: true,
      Result: 'vod-events',
      ExtractBlindWatermarkConfig: { SegmentDuration: null },
      ...noSession,
    } satisfies Wire<ExtractBlindWatermarkTask>,
    expected: fields({ taskId: id.task('ExtractBlindWatermark'), ...finishedFields, fileId: id.file }),
  }),
  SceneAigcImageComplete: sceneAigcImage,
  SceneAigcImageCompleteEvent: sceneAigcImage,
  ProcessImageAsyncComplete: processImageAsync,
  ProcessImageAsyncCompleteEvent: processImageAsync,
  CreateAigcAdvancedCustomElementComplete: aigcCustomElement,
  CreateAigcAdvancedCustomElementCompleteEvent: aigcCustomElement,
  CreateAigcCustomVoiceComplete: aigcCustomVoice,
  CreateAigcCustomVoiceCompleteEvent: aigcCustomVoice,
  DescribeAigcFaceInfoAsyncComplete: (id) => ({
    body: {
      TaskId: id.task('DescribeAigcFaceInfo'),
      ...finished,
      ErrCodeExt: '',
      Progress: 100,
      Input: { FileInfos: [{ Type: 'File', FileId: id.file, Url: null }] },
      Output: {
        FaceInfoSet: [
          {
            SessionId: '',
            FaceInfoList: [{ FaceId: `face-${id.hex}`, FaceImage: id.url('face-0.jpg'), StartTime: 1.2, EndTime: 8.4 }],
          },
        ],
      },
      ...noSession,
    } satisfies Wire<DescribeAigcFaceInfoAsyncTask>,
    expected: fields({ taskId: id.task('DescribeAigcFaceInfo'), ...finishedFields, fileId: id.file }),
  }),
};

const EVENT_TYPES = Object.keys(V3_BODY_FIELDS) as V3EventType[];

/** Every body field of `EventContent`, in the SDK's order. */
const BODY_FIELDS: readonly V3BodyField[] = [...new Set(Object.values(V3_BODY_FIELDS))];

function build(eventType: V3EventType, random: () => number, n: number): V3Example {
  const { body, expected } = (BUILDERS[eventType] as Builder<V3EventType>)(makeIds(random, n));
  return { eventType, bodyField: V3_BODY_FIELDS[eventType], body: body as Record<string, unknown>, expected };
}

/** One realistic example per entry of `V3_BODY_FIELDS`; the same on every call. */
export function v3Examples(): V3Example[] {
  const random = seededRandom(0x766f64);
  return EVENT_TYPES.map((eventType, n) => build(eventType, random, n));
}

/** `EventType`, the body, and every other body field of `EventContent` present as `null`. */
function withNullBodies(example: V3Example): Record<string, unknown> {
  const content: Record<string, unknown> = { EventType: example.eventType };
  for (const field of BODY_FIELDS) content[field] = field === example.bodyField ? example.body : null;
  return content;
}

/** The content as `PullEvents` returns it: its handle first, then `withNullBodies`. */
export function pulledForm(example: V3Example, handle: string): Record<string, unknown> {
  return { EventHandle: handle, ...withNullBodies(example) };
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, withoutNulls(member)]),
  );
}

/** The content as a 3.0-format HTTP callback carries it: no handle, null members omitted at every depth. */
export function httpForm(example: V3Example): Record<string, unknown> {
  return { EventType: example.eventType, [example.bodyField]: withoutNulls(example.body) };
}

/** A queued content (see `v3EventBatch`) as VOD's 3.0-format HTTP callback carries it: null members omitted at every depth. */
export function callbackForm(content: Record<string, unknown>): Record<string, unknown> {
  return withoutNulls(content) as Record<string, unknown>;
}

/**
 * `count` distinct v3 contents as `PullEvents` returns them, less the handle (what the emulator queues),
 * cycling through every event type; the same `seed` gives the same batch.
 */
export function v3EventBatch(count: number, seed: number): Record<string, unknown>[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => withNullBodies(build(EVENT_TYPES[n % EVENT_TYPES.length]!, random, n)));
}
