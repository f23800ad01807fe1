import type { RouteDefinition } from '../api/route-definition.ts';
import {
  createTipSchema,
  photoUploadsSchema,
  postTipsterMessageSchema,
  requestPhotoUploadsSchema,
  tipCreatedSchema,
  tipForTipsterSchema,
  tipLookupSchema,
  tipMessageSchema,
} from './schemas.ts';

export const exampleReceipt = '482910385521903471';
const exampleUpload = {
  photoId: 'p1',
  url: 'http://127.0.0.1:8787/_local/uploads',
  fields: { key: 'incoming/tips/x/p1', policy: '…', signature: '…' },
};

/**
 * The tipster's routes: a tip, its follow-up with the receipt, messages and more photos. A
 * file of their own so that their functions bundle none of the office's schemas. The
 * receipt travels in request bodies only, never in a path or query string, so that no
 * access log, proxy or browser history can hold it.
 */
export const publicTipRoutes = [
  {
    operationId: 'createTip',
    method: 'POST',
    path: '/api/tips',
    handler: 'create-tip',
    access: { kind: 'public' },
    // LOOKUP_FAILURES: where a solved puzzle the request carries is spent.
    table: { read: ['JURISDICTION', 'POLICY'], write: ['TIP#*', 'LOOKUP_FAILURES'] },
    // Intake starts the tip's lifecycle (its time limits).
    uses: ['evidenceUpload', 'receiptKey', 'contactKey', 'lifecycle'],
    summary: { zh: '匿名举报安全隐患', en: 'Report a hazard anonymously' },
    request: {
      body: createTipSchema,
      example: {
        idempotencyKey: '6f1c2d3e-4b5a-4c6d-8e7f-901234567890',
        jurisdiction: 'cq-gecheng',
        unit: '东门社区',
        industry: 'fire',
        enterprise: '某某商贸有限公司',
        address: '东门路 18 号仓库',
        description: '仓库安全出口被货物堵住，消防通道上停满电动车。',
        seenOn: '2026-11-20',
        isEmployee: false,
        wantsReward: false,
        photoCount: 2,
      },
    },
    response: {
      status: 201,
      body: tipCreatedSchema,
      example: {
        receipt: exampleReceipt,
        receivedAt: '2026-11-22T08:00:00.000Z',
        photoUploads: [exampleUpload],
        duplicate: false,
      },
    },
  },
  {
    operationId: 'lookupTip',
    method: 'POST',
    path: '/api/tips/lookup',
    handler: 'lookup-tip',
    access: { kind: 'public' },
    table: { read: ['JURISDICTION', 'POLICY', 'HAZARD#*'], write: ['TIP#*', 'LOOKUP_FAILURES'] },
    uses: ['receiptKey'],
    summary: { zh: '凭回执码查询举报进度', en: 'Follow up a tip with its receipt' },
    request: { body: tipLookupSchema, example: { receipt: exampleReceipt } },
    response: {
      status: 200,
      body: tipForTipsterSchema,
      example: {
        status: 'received',
        receivedAt: '2026-11-22T08:00:00.000Z',
        jurisdiction: { code: 'cq-gecheng', zh: '葛城街道', en: 'Gecheng Subdistrict' },
        industry: 'fire',
        description: '仓库安全出口被货物堵住。',
        timeline: [{ at: '2026-11-22T08:00:00.000Z', status: 'received' }],
        messages: [],
        openQuestions: 0,
        photos: 2,
        photoSlots: [
          { photoId: 'p1', status: 'arrived' },
          { photoId: 'p2', status: 'arrived' },
        ],
      },
    },
  },
  {
    operationId: 'postTipsterMessage',
    method: 'POST',
    path: '/api/tips/messages',
    handler: 'post-tipster-message',
    access: { kind: 'public' },
    table: { read: [], write: ['TIP#*', 'LOOKUP_FAILURES'] },
    uses: ['receiptKey'],
    summary: { zh: '举报人回复或补充线索', en: 'The tipster answers or adds information' },
    request: {
      body: postTipsterMessageSchema,
      example: {
        receipt: exampleReceipt,
        idempotencyKey: '0b7e9c1a-2d3f-4e5a-9b8c-7d6e5f4a3b2c',
        text: '仓库在二楼，晚上八点后堵得最严重。',
      },
    },
    response: {
      status: 201,
      body: tipMessageSchema,
      example: {
        messageId: 'm2',
        at: '2026-11-22T09:00:00.000Z',
        from: 'tipster',
        text: '仓库在二楼，晚上八点后堵得最严重。',
      },
    },
  },
  {
    operationId: 'requestPhotoUploads',
    method: 'POST',
    path: '/api/tips/photo-uploads',
    handler: 'request-photo-uploads',
    access: { kind: 'public' },
    table: { read: [], write: ['TIP#*', 'LOOKUP_FAILURES'] },
    uses: ['evidenceUpload', 'receiptKey'],
    summary: { zh: '为举报追加照片', en: 'Add photos to a tip' },
    request: { body: requestPhotoUploadsSchema, example: { receipt: exampleReceipt, count: 1 } },
    response: { status: 201, body: photoUploadsSchema, example: { photoUploads: [exampleUpload] } },
  },
] as const satisfies readonly RouteDefinition[];
