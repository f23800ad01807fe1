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

/** An upload form for a hazard's photo, as the API gives it (photo-uploads). */
export type EvidenceForm = { photoKey: string; url: string; fields: Record<string, string> };

/** Posts a JPEG with its form, as the browser does; the upload's status. */
export async function uploadEvidence(form: EvidenceForm, bytes: Uint8Array): Promise<number> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  if (!form.fields['Content-Type']) body.append('Content-Type', 'image/jpeg');
  body.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  return (await fetch(form.url, { method: 'POST', body })).status;
}
