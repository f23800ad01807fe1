import { randomUUID } from 'node:crypto';

export const validTip = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  jurisdiction: 'cq-gecheng',
  unit: '东门社区',
  industry: 'fire',
  enterprise: '某某商贸有限公司',
  address: '东门路 18 号仓库',
  description: '仓库安全出口被货物堵住，消防通道上停满电动车。',
  seenOn: '2026-11-20',
  isEmployee: false,
  wantsReward: false,
  photoCount: 0,
  ...overrides,
});

/** A reply body as tests read it: assertions, not types, check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions check the shape at run time
export type ReplyBody = any;

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: ReplyBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
