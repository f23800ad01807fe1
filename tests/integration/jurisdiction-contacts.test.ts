import { defaultEscalationPolicy, spreadOffsetMs } from '@qingling/shared/hazards/escalation.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { callApi, startTestCloud } from '../support/embedded-cloud.ts';
import { recordHazardWithDeadline } from '../support/hazards.ts';

// Contacts are data: who a jurisdiction's office recipients are (the leader in charge, the
// principal leader…) is kept by its administrators through the API, versioned, and the
// lifecycle's next message reaches whoever is on file when it is sent. Here on the
// embedded cloud, whose outbox resolves each message as AWS's delivery function does.

const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
});
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const call = (method: string, path: string, as: string | null, body?: unknown) =>
  callApi(cloud.url, method, path, as, body);

const contactsPath = (jurisdiction: string) => `/api/admin/jurisdictions/${jurisdiction}/contacts`;
const readContacts = async (jurisdiction = own) => {
  const reply = await call('GET', contactsPath(jurisdiction), `${jurisdiction}.administrator`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};
const putContacts = (body: unknown, as: string | null = `${own}.administrator`, code = own) =>
  call('PUT', contactsPath(code), as, body);

const leaderPhone = '13900139000';
const newLeaderPhone = '13600136000';

async function advanceTo(instant: string) {
  clock.set(instant);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

const hazardDue = async (date: string) =>
  (await recordHazardWithDeadline(cloud, own, { date })).hazardId;

/** The outbox entry of one message, by its key (hazard, round, step, recipient). */
async function sent(key: string) {
  const found = (await cloud.outbox.list()).filter((entry) => entry.key === key);
  expect(found, key).toHaveLength(1);
  return found[0];
}

describe("a jurisdiction's contact lists: its administrators' alone", () => {
  it('are empty until an administrator enters them', async () => {
    expect(await readContacts()).toEqual({
      jurisdiction: own,
      contacts: {
        assigned_officer: [],
        jurisdiction_departments: [],
        department_head: [],
        leader_in_charge: [],
        principal_leader: [],
        reward_officer: [],
      },
      version: 0,
      edits: [],
    });
  });

  it('are refused to every other role (403), to anonymous callers (401) and to the administrators of another jurisdiction; nothing changes', async () => {
    const edit = {
      contacts: { leader_in_charge: [{ kind: 'sms', phone: leaderPhone }] },
      expectedVersion: 0,
    };
    for (const role of [
      'officer',
      'department_head',
      'leader_in_charge',
      'principal_leader',
      'reward_officer',
    ]) {
      expect((await putContacts(edit, `${own}.${role}`)).status, role).toBe(403);
      expect((await call('GET', contactsPath(own), `${own}.${role}`)).status, role).toBe(403);
    }
    expect((await putContacts(edit, `${other}.administrator`)).status).toBe(403);
    expect((await call('GET', contactsPath(own), `${other}.administrator`)).status).toBe(403);
    expect((await putContacts(edit, null)).status).toBe(401);
    expect((await call('GET', contactsPath(own), null)).status).toBe(401);
    // A jurisdiction that is not the caller's (here: none at all) is refused too.
    expect((await putContacts(edit, `${own}.administrator`, 'xx-nowhere')).status).toBe(403);
    expect(await readContacts()).toMatchObject({ version: 0, edits: [] });
  });

  it('refuses a contact that is not a mainland mobile, an e-mail address or an https robot, in both languages; nothing changes', async () => {
    const reply = await putContacts({
      contacts: {
        leader_in_charge: [{ kind: 'sms', phone: '+1 415 555 0100' }],
        principal_leader: [{ kind: 'email', address: 'li.ming@' }],
        jurisdiction_departments: [
          { kind: 'wecom', url: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
        ],
      },
      expectedVersion: 0,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues).toEqual([
      {
        path: 'contacts.jurisdiction_departments.0.url',
        message: {
          zh: '须为 https:// 开头的群机器人 Webhook 地址。',
          en: 'This must be an https:// webhook URL (a group robot).',
        },
      },
      {
        path: 'contacts.leader_in_charge.0.phone',
        message: {
          zh: '须为 11 位中国大陆手机号码。',
          en: 'This must be a mainland mobile number (11 digits).',
        },
      },
      {
        path: 'contacts.principal_leader.0.address',
        message: { zh: '须为电子邮件地址。', en: 'This must be an e-mail address.' },
      },
    ]);
    expect(await readContacts()).toMatchObject({ version: 0 });
  });
});

describe('the next message reaches whoever is on file when it is sent', () => {
  it("a hazard's summons reaches the leader's phone the administrator set; a stale edit is refused and changes nothing; the next summons after an edit reaches the new phone", async () => {
    // Two hazards: due Thu 10 Dec and Mon 14 Dec 2026 (24:00 CST). Summons at +14 days.
    const first = await hazardDue('2026-12-10');
    const second = await hazardDue('2026-12-14');

    const set = await putContacts({
      contacts: { leader_in_charge: [{ kind: 'sms', phone: '+86 139-0013-9000' }] },
      expectedVersion: 0,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({
      version: 1,
      updatedBy: expect.any(String),
      contacts: { leader_in_charge: [{ kind: 'sms', phone: leaderPhone }], principal_leader: [] },
      edits: [
        {
          version: 1,
          at: '2026-12-08T02:00:00.000Z',
          by: set.body.updatedBy,
          changed: ['leader_in_charge'],
        },
      ],
    });

    // Another administrator, who saw version 0, saves over it: refused, in both languages.
    const stale = await putContacts(
      {
        contacts: { leader_in_charge: [{ kind: 'sms', phone: newLeaderPhone }] },
        expectedVersion: 0,
      },
      `${own}.administrator`,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'conflict',
      message: {
        zh: expect.stringContaining('已被他人修改'),
        en: expect.stringContaining('Someone else changed this first'),
      },
      current: {
        version: 1,
        contacts: { leader_in_charge: [{ kind: 'sms', phone: leaderPhone }] },
      },
    });
    expect(await readContacts()).toMatchObject({
      version: 1,
      contacts: { leader_in_charge: [{ phone: leaderPhone }] },
    });

    // The lifecycle runs on: reminder, notice letter, circular (nobody on file for the
    // department head: the outbox says so), then the first hazard's summons.
    // Each at 09:05 CST and the first hazard's place in the spread window after 09:00.
    const spread = spreadOffsetMs(first, defaultEscalationPolicy);
    const afterSpread = (at: string) => new Date(Date.parse(at) + spread).toISOString();
    await advanceTo(afterSpread('2026-12-11T01:05:00.000Z'));
    await advanceTo(afterSpread('2026-12-18T01:05:00.000Z'));
    expect((await sent(`${first}#1#circular#department_head`))?.contacts).toEqual([]);
    await advanceTo('2026-12-24T16:05:00.000Z');
    expect(await sent(`${first}#1#summons#leader_in_charge`)).toMatchObject({
      to: `leader_in_charge@${own}`,
      contacts: [{ kind: 'sms', phone: leaderPhone }],
    });

    // The leader changes: the administrator edits version 1, adding the principal leader.
    const edited = await putContacts({
      contacts: {
        leader_in_charge: [{ kind: 'sms', phone: newLeaderPhone }],
        principal_leader: [{ kind: 'email', address: 'zhuyao@example.gov.cn' }],
      },
      expectedVersion: 1,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.edits.map((edit: { version: number; changed: string[] }) => edit)).toEqual([
      expect.objectContaining({ version: 1, changed: ['leader_in_charge'] }),
      expect.objectContaining({
        version: 2,
        at: '2026-12-24T16:05:00.000Z',
        changed: ['leader_in_charge', 'principal_leader'],
      }),
    ]);

    await advanceTo('2026-12-28T16:05:00.000Z');
    expect(await sent(`${second}#1#summons#leader_in_charge`)).toMatchObject({
      contacts: [{ kind: 'sms', phone: newLeaderPhone }],
    });
    // Each message once, its step key kept; the first summons is not sent again.
    expect(await sent(`${first}#1#summons#leader_in_charge`)).toMatchObject({
      contacts: [{ kind: 'sms', phone: leaderPhone }],
    });
    // The outbox page shows where each message went.
    const page = await (await fetch(`${cloud.url}/_local/outbox`)).text();
    expect(page).toContain(`短信 SMS ${newLeaderPhone}`);
    expect(page).toContain('Nobody on file for this address');
  });
});
