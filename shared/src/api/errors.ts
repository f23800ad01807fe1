import * as z from 'zod/mini';
import type { Bilingual } from '../i18n/text.ts';
import { withMeta } from './validation.ts';

/** Every 4xx/5xx of the API has this body: a stable code and a message in both languages. */
export const apiErrorSchema = withMeta(
  z.object({
    error: z.object({
      code: z.string(),
      message: z.object({ zh: z.string(), en: z.string() }),
      issues: z.optional(
        z.array(
          z.object({
            path: z.string(),
            message: z.object({ zh: z.string(), en: z.string() }),
          }),
        ),
      ),
      /** On a conflict: the record as it is now, so the client can show what changed. */
      current: z.optional(z.unknown()),
    }),
  }),
  { id: 'ApiError' },
);
export type ApiError = z.infer<typeof apiErrorSchema>;

export const errorCatalog = {
  bad_json: {
    status: 400,
    message: { zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  },
  invalid_request: {
    status: 400,
    message: {
      zh: '请求内容有误，请检查后重试。',
      en: 'The request is not valid; please check it.',
    },
  },
  invalid_cursor: {
    status: 400,
    message: {
      zh: '翻页标记无效，或不属于这个列表（辖区、状态或企业不同），请从第一页重新加载。',
      en: 'The page cursor is not valid for this list (another jurisdiction, status or enterprise); reload from the first page.',
    },
  },
  service_starting: {
    status: 503,
    message: {
      zh: '服务正在启动，请稍后重试。',
      en: 'The service is starting; please try again in a moment.',
    },
  },
  malformed_path: {
    status: 400,
    message: {
      zh: '网址中有无效的百分号编码（%），请检查链接后重试。',
      en: 'The address contains malformed percent-encoding (%); please check the link.',
    },
  },
  unauthenticated: {
    status: 401,
    message: { zh: '请先登录。', en: 'Please sign in first.' },
  },
  forbidden: {
    status: 403,
    message: { zh: '您无权进行此操作。', en: 'You are not allowed to do this.' },
  },
  not_found: {
    status: 404,
    message: { zh: '找不到请求的内容。', en: 'Not found.' },
  },
  record_full: {
    status: 409,
    message: {
      zh: '这条记录的内容已达存储上限，无法再添加。请联系办理机关。',
      en: 'This record is full and cannot take more; please contact the office handling it.',
    },
  },
  messages_limit: {
    status: 409,
    message: {
      zh: '这条举报的留言已达上限，无法再留言。如有新的情况，请重新举报。',
      en: 'This tip has taken all the messages it can; report anything new as a new tip.',
    },
  },
  updates_limit: {
    status: 409,
    message: {
      zh: '企业通过链接报送的内容已达上限，请直接联系办理人员。',
      en: 'The enterprise has sent all the updates this hazard can take through its link; please contact the officer directly.',
    },
  },
  conflict: {
    status: 409,
    message: {
      zh: '内容已被他人修改，请刷新后重试，您填写的内容不会丢失。',
      en: 'Someone else changed this first; reload and try again. What you typed is kept.',
    },
  },
  receipt_invalid: {
    status: 400,
    message: {
      zh: '回执码有误：应为 18 位数字，且最后两位校验码要对得上，请核对后重新输入。',
      en: 'This is not a valid receipt: 18 digits whose last two check the others. Please check it.',
    },
  },
  tip_not_found: {
    status: 404,
    message: {
      zh: '没有找到这个回执码对应的举报，请核对后再试。',
      en: 'No tip was found for this receipt; please check it and try again.',
    },
  },
  too_many_attempts: {
    status: 429,
    message: {
      zh: '尝试次数过多，请稍后再试。',
      en: 'Too many attempts; please try again later.',
    },
  },
  idempotency_mismatch: {
    status: 409,
    message: {
      zh: '这个请求编号已用于另一份不同的举报，请刷新页面后重新提交。',
      en: 'This request key was already used for a different tip; reload and submit again.',
    },
  },
  idempotency_key_reused: {
    status: 409,
    message: {
      zh: '这个请求编号已用于另一份不同的内容，本次未作任何更改；请刷新查看已记录的内容后重新提交。',
      en: 'This request key was already used for different content; nothing was changed. Reload to see what was recorded, then submit again.',
    },
  },
  tip_already_recorded: {
    status: 409,
    message: {
      zh: '这条举报已登记为隐患，不能重复登记；请打开已登记的那条隐患。',
      en: 'This tip has already been recorded as a hazard; open that hazard instead.',
    },
  },
  rule_violated: {
    status: 422,
    message: {
      zh: '此操作不符合隐患治理流程的规定。',
      en: 'The rules of the hazard lifecycle do not allow this.',
    },
  },
  username_taken: {
    status: 409,
    message: {
      zh: '该用户名已被使用，请换一个。',
      en: 'This username is taken; choose another.',
    },
  },
  directory_read_only: {
    status: 403,
    message: {
      zh: '用户与角色由外部身份提供方管理，这里不能修改。',
      en: 'Users and roles are kept by the external identity provider and cannot be changed here.',
    },
  },
  link_invalid: {
    status: 403,
    message: {
      zh: '链接无效或已过期，请联系监管人员重新发送。',
      en: 'This link is not valid or has expired; ask the officer for a new one.',
    },
  },
  payload_too_large: {
    status: 413,
    message: { zh: '内容超过大小限制。', en: 'The content is larger than allowed.' },
  },
  json_required: {
    status: 415,
    message: {
      zh: '请求内容须以 JSON 发送（Content-Type: application/json）。',
      en: 'Send the request body as JSON (Content-Type: application/json).',
    },
  },
  unsupported_media_type: {
    status: 415,
    message: { zh: '不支持该文件类型。', en: 'This type of content is not accepted.' },
  },
  unavailable: {
    status: 503,
    message: {
      zh: '服务暂时不可用，请稍后再试。',
      en: 'The service is unavailable; try again later.',
    },
  },
  internal: {
    status: 500,
    message: { zh: '服务器出错了，请稍后再试。', en: 'Something went wrong; try again later.' },
  },
} as const satisfies Record<string, { status: number; message: Bilingual }>;
export type ErrorCode = keyof typeof errorCatalog;

export function apiError(
  code: ErrorCode,
  issues?: { path: string; message: Bilingual }[],
  current?: unknown,
): { status: number; body: ApiError } {
  const entry = errorCatalog[code];
  return {
    status: entry.status,
    body: {
      error: {
        code,
        message: entry.message,
        ...(issues ? { issues } : {}),
        ...(current === undefined ? {} : { current }),
      },
    },
  };
}
