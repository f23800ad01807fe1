import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { callApi } from './embedded-cloud.ts';
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

/**
 * The escalation tests' late hazard, through the API as `token` (an officer of cq-gecheng)
 * gives it: 格城东门商贸有限公司 registered (the enterprise recordHazard names; its principal
 * and controller with mobiles, the notice letter's recipients), a general hazard at 二号仓库
 * recorded, and its rectification started, due Thu 10 Dec 2026. Each step is checked.
 */
export async function hazardDueThursday10December(url: string, token: string) {
  const registered = await postJson(
    `${url}/api/office/enterprises`,
    {
      uscc: '91350100M000100Y43',
      name: '格城东门商贸有限公司',
      address: '重庆市格城区东门路 18 号',
      industry: 'fire',
      jurisdiction: 'cq-gecheng',
      principal: { name: '王某', mobile: '13800138001' },
      controller: { name: '赵某', mobile: '13800138002' },
      contacts: [],
    },
    { authorization: `Bearer ${token}` },
  );
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const recorded = await recordHazard(url, token, '二号仓库', 'general');
  expect(recorded.status).toBe(201);
  const hazard = {
    id: recorded.body.hazard.hazardId as string,
    revision: recorded.body.revision,
  };
  const started = await giveHazardCommand(url, token, hazard, {
    type: 'start_rectification',
    responsible: '王某',
    measures: '清理安全出口',
    deadline: { date: '2026-12-10' }, // Thursday
  });
  expect(started.status).toBe(200);
  return hazard;
}

/**
 * A general hazard at 东门路 18 号仓库 in `jurisdiction`, recorded by its officer and its
 * rectification started with `deadline` (as the command takes it), the lifecycle settled:
 * its id, and the deadline the API set.
 */
export async function recordHazardWithDeadline(
  cloud: { url: string; conductor: { settled(): Promise<void> } },
  jurisdiction: string,
  deadline: unknown,
) {
  const officer = `${jurisdiction}.officer`;
  const recorded = await callApi(cloud.url, 'POST', '/api/office/hazards', officer, {
    idempotencyKey: randomUUID(),
    jurisdiction,
    source: 'inspection',
    industry: 'fire',
    enterprise: '91350100M000100Y43',
    place: '东门路 18 号仓库',
    grade: 'general',
    description: '仓库安全出口被货物堵住，疏散通道不畅。',
  });
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
  const hazardId: string = recorded.body.hazard.hazardId;
  const started = await callApi(
    cloud.url,
    'POST',
    `/api/office/hazards/${hazardId}/commands`,
    officer,
    {
      idempotencyKey: randomUUID(),
      expectedRevision: recorded.body.revision,
      command: {
        type: 'start_rectification',
        responsible: '王某（企业安全科）',
        measures: '搬离货物，恢复疏散通道',
        deadline,
      },
    },
  );
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  await cloud.conductor.settled();
  return { hazardId, deadline: started.body.hazard.deadline as string };
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
