import { asObject } from './fields';
import type { EventContent } from 'tencentcloud-sdk-nodejs-vod/tencentcloud/services/vod/v20180717/vod_models';

/**
 * v3 `EventType` → the `EventContent` field that holds its body, for every type the official SDK
 * documents. The names follow no single rule (`NewFileUpload`→`FileUploadEvent`,
 * `CreateSnapshotByTimeOffsetComplete`→`SnapshotByTimeOffsetCompleteEvent`, …). Where the SDK's
 * comment names the type inconsistently (`…CompleteEvent` vs `…Complete`), both spellings map.
 */
export const V3_BODY_FIELDS = {
  NewFileUpload: 'FileUploadEvent',
  ProcedureStateChanged: 'ProcedureStateChangeEvent',
  FileDeleted: 'FileDeleteEvent',
  PullComplete: 'PullCompleteEvent',
  EditMediaComplete: 'EditMediaCompleteEvent',
  SplitMediaComplete: 'SplitMediaCompleteEvent',
  ComposeMediaComplete: 'ComposeMediaCompleteEvent',
  ClipComplete: 'ClipCompleteEvent',
  TranscodeComplete: 'TranscodeCompleteEvent',
  CreateImageSpriteComplete: 'CreateImageSpriteCompleteEvent',
  ConcatComplete: 'ConcatCompleteEvent',
  CreateSnapshotByTimeOffsetComplete: 'SnapshotByTimeOffsetCompleteEvent',
  WechatPublishComplete: 'WechatPublishCompleteEvent',
  WechatMiniProgramPublishComplete: 'WechatMiniProgramPublishCompleteEvent',
  RemoveWatermark: 'RemoveWatermarkCompleteEvent',
  RestoreMediaComplete: 'RestoreMediaCompleteEvent',
  RebuildMediaComplete: 'RebuildMediaCompleteEvent',
  ExtractTraceWatermarkComplete: 'ExtractTraceWatermarkCompleteEvent',
  ExtractCopyRightWatermarkComplete: 'ExtractCopyRightWatermarkCompleteEvent',
  ReviewAudioVideoComplete: 'ReviewAudioVideoCompleteEvent',
  ReduceMediaBitrateComplete: 'ReduceMediaBitrateCompleteEvent',
  DescribeFileAttributesComplete: 'DescribeFileAttributesCompleteEvent',
  QualityInspectComplete: 'QualityInspectCompleteEvent',
  QualityEnhanceComplete: 'QualityEnhanceCompleteEvent',
  MediaCastStatusChanged: 'MediaCastStatusChangedEvent',
  PersistenceComplete: 'PersistenceCompleteEvent',
  ComplexAdaptiveDynamicStreamingComplete: 'ComplexAdaptiveDynamicStreamingCompleteEvent',
  ProcessMediaByMPSComplete: 'ProcessMediaByMPSCompleteEvent',
  AigcImageTaskComplete: 'AigcImageCompleteEvent',
  AigcVideoTaskComplete: 'AigcVideoCompleteEvent',
  ExtractBlindWatermarkComplete: 'ExtractBlindWatermarkComplete',
  SceneAigcImageComplete: 'SceneAigcImageCompleteEvent',
  SceneAigcImageCompleteEvent: 'SceneAigcImageCompleteEvent',
  ProcessImageAsyncComplete: 'ProcessImageAsyncCompleteEvent',
  ProcessImageAsyncCompleteEvent: 'ProcessImageAsyncCompleteEvent',
  CreateAigcAdvancedCustomElementComplete: 'CreateAigcAdvancedCustomElementCompleteEvent',
  CreateAigcAdvancedCustomElementCompleteEvent: 'CreateAigcAdvancedCustomElementCompleteEvent',
  CreateAigcCustomVoiceComplete: 'CreateAigcCustomVoiceCompleteEvent',
  CreateAigcCustomVoiceCompleteEvent: 'CreateAigcCustomVoiceCompleteEvent',
  DescribeAigcFaceInfoAsyncComplete: 'DescribeAigcFaceInfoAsyncCompleteEvent',
} as const satisfies Record<string, Exclude<keyof EventContent, 'EventHandle' | 'EventType'>>;

export type V3BodyField = (typeof V3_BODY_FIELDS)[keyof typeof V3_BODY_FIELDS];

const isObject = (value: unknown): value is Record<string, unknown> => asObject(value) !== undefined;

/**
 * The body object of a v3 event: the known field for its type, else the one non-null object
 * field of the content (so a type newer than this table is still understood), else `null`.
 */
export function findV3Body(content: Record<string, unknown>, eventType: string): Record<string, unknown> | null {
  const known = Object.hasOwn(V3_BODY_FIELDS, eventType)
    ? content[V3_BODY_FIELDS[eventType as keyof typeof V3_BODY_FIELDS]]
    : undefined;
  if (isObject(known)) return known;
  const objects = Object.values(content).filter(isObject);
  return objects.length === 1 ? objects[0]! : null;
}
