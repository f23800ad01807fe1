import { randomUUID } from 'node:crypto';
import { publicTipRoutes } from '@qingling/shared/tips/public-routes.ts';

const documentedExample = publicTipRoutes.find((route) => route.operationId === 'createTip')
  ?.request.example;

/**
 * The documented example tip, with a fresh idempotency key and no photos unless asked. Its
 * village or community is the example jurisdiction's: a tip for another jurisdiction names
 * none unless asked (the server refuses a unit the jurisdiction does not have).
 */
export const validTip = (overrides: Record<string, unknown> = {}) => {
  const example = { ...documentedExample };
  if ('jurisdiction' in overrides) delete (example as { unit?: string }).unit;
  return { ...example, idempotencyKey: randomUUID(), photoCount: 0, ...overrides };
};

/**
 * An officer's steps that take a received tip to a reward: accepted, investigated, found
 * true, and a fine of 80,000 yuan on a major hazard (the reward policy's example).
 */
export const stepsToAReward = [
  { type: 'accept' },
  { type: 'start_investigation' },
  { type: 'record_finding', finding: 'substantiated', note: '现场核查属实' },
  {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'major', fineYuan: 80_000 },
    documentNumber: '渝葛应急罚〔2026〕12号',
  },
] as const;

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
