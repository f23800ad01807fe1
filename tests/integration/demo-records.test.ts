import { describe, expect, it } from 'vitest';
import { signIn, startTestCloud, temporaryDataDirectory } from '../support/embedded-cloud.ts';

const jurisdiction = 'cq-gecheng';
const hazardStatuses = ['reported', 'rectifying', 'verifying', 'closed'] as const;
const tipStatuses = ['received', 'accepted', 'substantiated'] as const;

interface Office {
  hazards: Record<
    string,
    { hazardId: string; grade: string; industry: string; deadline?: string }[]
  >;
  tips: Record<string, { tipId: string }[]>;
  enterprises: { uscc: string }[];
}

async function officeOf(url: string, token: string): Promise<Office> {
  const get = async <Body>(path: string): Promise<Body> => {
    const response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Body;
  };
  const office: Office = { hazards: {}, tips: {}, enterprises: [] };
  for (const status of hazardStatuses) {
    office.hazards[status] = (
      await get<{ hazards: Office['hazards'][string] }>(
        `/api/office/hazards?jurisdiction=${jurisdiction}&status=${status}`,
      )
    ).hazards;
  }
  for (const status of tipStatuses) {
    office.tips[status] = (
      await get<{ tips: Office['tips'][string] }>(
        `/api/office/tips?jurisdiction=${jurisdiction}&status=${status}`,
      )
    ).tips;
  }
  office.enterprises = (
    await get<{ enterprises: Office['enterprises'] }>(
      `/api/office/enterprises?jurisdiction=${jurisdiction}`,
    )
  ).enterprises;
  return office;
}

describe('the demo office npm start seeds', () => {
  it('fills an empty store with enterprises, hazards in every status and tips, once', async () => {
    const data = await temporaryDataDirectory();
    try {
      const first = await startTestCloud({ dataDirectory: data.path, demoRecords: true });
      const token = await signIn(first.url, `${jurisdiction}.officer`);
      const office = await officeOf(first.url, token);
      const overdueId = office.hazards.rectifying?.find(
        (hazard) => hazard.deadline && Date.parse(hazard.deadline) < first.clock.now().getTime(),
      )?.hazardId;
      const overdue = await (
        await fetch(`${first.url}/api/office/hazards/${overdueId}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json();
      // Every step of every demo hazard's ladder is on its log at its own time: a step due
      // before a later command of the script was once recorded late, at that command.
      const lateSteps: string[] = [];
      for (const { hazardId } of Object.values(office.hazards).flat()) {
        const detail = (await (
          await fetch(`${first.url}/api/office/hazards/${hazardId}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as { timeline: { type: string; data: { step?: string; late?: boolean } }[] };
        for (const entry of detail.timeline) {
          if (entry.type === 'escalation_step_recorded' && entry.data.late) {
            lateSteps.push(`${hazardId} ${entry.data.step}`);
          }
        }
      }
      const exposed = await (
        await fetch(`${first.url}/api/public/exposure?jurisdiction=${jurisdiction}`)
      ).json();
      const outbox = await first.outbox.list();
      const listed = (await (await fetch(`${first.url}/auth/demo-users`)).json()) as {
        users: { username: string }[];
      };
      await first.stop();

      // The demo's messages reach someone: every office recipient has contacts on file.
      const officeMessages = outbox.filter((entry) => entry.to.endsWith(`@${jurisdiction}`));
      expect(officeMessages.length).toBeGreaterThan(0);
      expect(officeMessages.filter((entry) => !entry.contacts?.length)).toEqual([]);
      // The sign-in page lists the users of the office with the records first.
      expect(listed.users[0]?.username).toBe(`${jurisdiction}.officer`);

      expect(office.enterprises.length).toBeGreaterThanOrEqual(12);
      for (const status of hazardStatuses) expect(office.hazards[status], status).not.toEqual([]);
      for (const status of tipStatuses) expect(office.tips[status], status).not.toEqual([]);
      const hazards = Object.values(office.hazards).flat();
      expect(new Set(hazards.map((hazard) => hazard.grade))).toEqual(new Set(['general', 'major']));
      expect(new Set(hazards.map((hazard) => hazard.industry)).size).toBeGreaterThanOrEqual(5);
      // The overdue hazard's ladder went on as its lifecycle ran: each step on time.
      const steps = (
        overdue as { timeline: { type: string; data: { step: string; late: boolean } }[] }
      ).timeline.filter((entry) => entry.type === 'escalation_step_recorded');
      expect(steps.map((entry) => entry.data.step)).toEqual([
        'reminder',
        'notice_letter',
        'circular',
      ]);
      expect(steps.every((entry) => !entry.data.late)).toBe(true);
      expect(lateSteps).toEqual([]);
      expect((overdue as { chain: { valid: boolean } }).chain.valid).toBe(true);
      // Leaders acted on it: a summons held, and its exposure on the public page.
      expect(
        (overdue as { timeline: { type: string }[] }).timeline
          .map((entry) => entry.type)
          .filter((type) => type === 'summons_held' || type === 'exposure_approved'),
      ).toEqual(['summons_held', 'exposure_approved']);
      expect(exposed.hazards).toEqual([
        expect.objectContaining({
          enterpriseName: '重庆城口顺达运输有限公司',
          documentNumber: '葛城安委曝〔2026〕1号',
        }),
      ]);

      // Started again on the same store: nothing is added.
      const second = await startTestCloud({ dataDirectory: data.path, demoRecords: true });
      const again = await officeOf(second.url, await signIn(second.url, `${jurisdiction}.officer`));
      await second.stop();
      const ids = (of: Office) => ({
        enterprises: of.enterprises.map((enterprise) => enterprise.uscc).sort(),
        hazards: Object.values(of.hazards)
          .flat()
          .map((hazard) => hazard.hazardId)
          .sort(),
        tips: Object.values(of.tips)
          .flat()
          .map((tip) => tip.tipId)
          .sort(),
      });
      expect(ids(again)).toEqual(ids(office));
    } finally {
      await data.remove();
    }
  }, 60_000);

  it('leaves a store with records alone (and tests get an empty office unless they ask)', async () => {
    const data = await temporaryDataDirectory();
    try {
      const first = await startTestCloud({ dataDirectory: data.path });
      const token = await signIn(first.url, `${jurisdiction}.officer`);
      expect(Object.values((await officeOf(first.url, token)).hazards).flat()).toEqual([]);
      const registered = await fetch(`${first.url}/api/office/enterprises`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          uscc: '91350100M000100Y43',
          name: '某某商贸有限公司',
          address: '东门路 18 号',
          industry: 'fire',
          jurisdiction,
          principal: { name: '王某', mobile: '13800138000' },
          controller: { name: '赵某', mobile: '13900139000' },
          contacts: [],
        }),
      });
      expect(registered.status).toBe(201);
      await first.stop();

      const second = await startTestCloud({ dataDirectory: data.path, demoRecords: true });
      const office = await officeOf(
        second.url,
        await signIn(second.url, `${jurisdiction}.officer`),
      );
      await second.stop();
      expect(office.enterprises.map((enterprise) => enterprise.uscc)).toEqual([
        '91350100M000100Y43',
      ]);
      expect(Object.values(office.hazards).flat()).toEqual([]);
    } finally {
      await data.remove();
    }
  }, 60_000);
});
