import { randomUUID } from 'node:crypto';
import { postJson, type ReplyBody } from './tips.ts';

/** A hazard found on inspection at `place` (a major one cites its standard), through the API. */
export function recordHazard(
  url: string,
  token: string,
  place: string,
  grade: 'general' | 'major',
): Promise<{ status: number; body: ReplyBody }> {
  return postJson(
    `${url}/api/office/hazards`,
    {
      idempotencyKey: randomUUID(),
      jurisdiction: 'cq-gecheng',
      source: 'inspection',
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place,
      grade,
      ...(grade === 'major' ? { standard: { ref: 'GB 35181-2025', clause: '5.1.1' } } : {}),
      description: `${place}安全出口被货物堵塞，灭火器压力不足。`,
    },
    { authorization: `Bearer ${token}` },
  );
}

/** A command on a hazard, as the officer who saw `revision` gives it, through the API. */
export function giveHazardCommand(
  url: string,
  token: string,
  hazard: { id: string; revision: number },
  command: Record<string, unknown>,
): Promise<{ status: number; body: ReplyBody }> {
  return postJson(
    `${url}/api/office/hazards/${hazard.id}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: hazard.revision, command },
    { authorization: `Bearer ${token}` },
  );
}
