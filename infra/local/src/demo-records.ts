import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoExposureList } from '@qingling/shared/adapters/dynamodb/exposure-list.ts';
import { queryIndexPage } from '@qingling/shared/adapters/dynamodb/index-page.ts';
import { DynamoPolicyStore } from '@qingling/shared/adapters/dynamodb/policy-store.ts';
import { cstDate, type HolidayCalendar } from '@qingling/shared/calendar/calendar.ts';
import {
  type Enterprise,
  enterpriseProjection,
  enterpriseRegisterPartition,
  enterpriseStream,
} from '@qingling/shared/enterprises/enterprise.ts';
import { usccCheckCharacter } from '@qingling/shared/enterprises/uscc.ts';
import { canonicalJson } from '@qingling/shared/event-log/canonical-json.ts';
import type { Actor } from '@qingling/shared/event-log/event-log.ts';
import type { EventStore } from '@qingling/shared/event-log/event-store.ts';
import {
  type DeadlineInput,
  giveCommand,
  type HazardCommand,
  type HazardCommandDependencies,
  recordHazard,
} from '@qingling/shared/hazards/commands.ts';
import type { EscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { listIfExposed } from '@qingling/shared/hazards/exposure.ts';
import {
  type HazardFacts,
  hazardLedgerPartition,
  type RectificationPlan,
} from '@qingling/shared/hazards/hazard.ts';
import { hazardIdFor, hazardIdForTip } from '@qingling/shared/hazards/ids.ts';
import {
  type LifecycleDependencies,
  nextGeneration,
  planTurn,
  recordDueSteps,
} from '@qingling/shared/hazards/lifecycle.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import { ledgerStatuses } from '@qingling/shared/hazards/schemas.ts';
import type { Notifier } from '@qingling/shared/ports/outbox.ts';
import { receiptFor, tipContentDigest, tipIdFor } from '@qingling/shared/tips/keys.ts';
import {
  nextTipGeneration,
  planTipTurn,
  recordDueTipSteps,
} from '@qingling/shared/tips/lifecycle.ts';
import { tipStatuses } from '@qingling/shared/tips/schemas.ts';
import { defaultTipTimeLimits, tipDeadline } from '@qingling/shared/tips/time-limits.ts';
import {
  type TipReceived,
  tipInboxPartition,
  tipProjection,
  tipStream,
} from '@qingling/shared/tips/tip.ts';
import { giveTipCommand, type TipCommand } from '@qingling/shared/tips/triage.ts';
import type { StepsRecorded, TurnPlan } from '@qingling/shared/workflow/turns.ts';

/**
 * A lived-in office for whoever runs `npm start` the first time: enterprises on the
 * register of 葛城街道 (cq-gecheng), hazards in every status and tips, all written through
 * the domain's own commands on the event store, at times in the past (a clock the seed
 * moves), with each record's lifecycle run over that time as the conductor would run it:
 * the overdue hazard's escalation steps are on its log at the times they fell due.
 *
 * Only into a store with no enterprise, hazard or tip in any jurisdiction: a store with
 * records is left alone, so a restart (or a second seed) adds nothing. Names, people and
 * codes are invented; the codes have valid check characters (GB 32100, GB 11714).
 */
export const demoJurisdiction = 'cq-gecheng';

/** An invented code of Chengkou county (500229) with valid GB 11714 and GB 32100 checks. */
export function demoUscc(index: number): string {
  const body = `MA5U${String(index).padStart(4, '0')}`;
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce(
    (total, character, at) => total + Number.parseInt(character, 36) * (weights[at] ?? 0),
    0,
  );
  const check = 11 - (sum % 11);
  const first17 = `91500229${body}${check === 10 ? 'X' : check === 11 ? '0' : String(check)}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

interface DemoEnterprise {
  name: string;
  address: string;
  industry: string;
  principal: string;
  controller: string;
}

const enterprises: DemoEnterprise[] = [
  {
    name: '城口县东门加油站有限公司',
    address: '东门社区环城路 2 号',
    industry: 'hazardous_chemicals',
    principal: '黄建国',
    controller: '黄志远',
  },
  {
    name: '重庆葛城建筑工程有限公司',
    address: '西门社区北大街 66 号',
    industry: 'construction',
    principal: '刘德胜',
    controller: '刘德胜',
  },
  {
    name: '城口县西门商贸有限公司',
    address: '西门社区西大街 15 号',
    industry: 'fire',
    principal: '陈秀英',
    controller: '陈光明',
  },
  {
    name: '城口县葛城燃气有限公司',
    address: '南门社区滨河路 8 号',
    industry: 'city_gas',
    principal: '周家明',
    controller: '周国华',
  },
  {
    name: '城口县南门宾馆有限公司',
    address: '南门社区南大街 31 号',
    industry: 'fire',
    principal: '吴丽华',
    controller: '吴德海',
  },
  {
    name: '重庆城口顺达运输有限公司',
    address: '东门社区车站路 12 号',
    industry: 'road_transport',
    principal: '郑云飞',
    controller: '郑云飞',
  },
  {
    name: '城口县鑫源木业加工有限公司',
    address: '西门社区工业园 3 号',
    industry: 'industry_trade',
    principal: '谭先锋',
    controller: '谭先锋',
  },
  {
    name: '城口县葛城烟花爆竹批发有限公司',
    address: '南门社区仓储路 5 号',
    industry: 'fireworks',
    principal: '冉光荣',
    controller: '冉小军',
  },
  {
    name: '城口县葛城物业管理有限公司',
    address: '东门社区东大街 108 号',
    industry: 'special_equipment',
    principal: '向晓梅',
    controller: '向东',
  },
  {
    name: '城口县大巴山石料有限公司',
    address: '西门社区石门沟',
    industry: 'metal_nonmetal_mine',
    principal: '杨大海',
    controller: '杨大海',
  },
  {
    name: '城口县老街餐饮有限公司',
    address: '东门社区老街 21 号',
    industry: 'fire',
    principal: '张桂芳',
    controller: '张桂芳',
  },
  {
    name: '城口县山珍食品加工有限公司',
    address: '南门社区工业园 9 号',
    industry: 'industry_trade',
    principal: '罗永红',
    controller: '罗永红',
  },
];

const mobile = (index: number, role: number) =>
  `1${role === 0 ? '38' : '39'}${String(23000000 + index * 1379 + role * 7).padStart(8, '0')}`;

const day = 24 * 3600 * 1000;

/** Whether any enterprise, hazard or tip is on any jurisdiction's index. */
async function storeHasRecords(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<boolean> {
  const partitions = jurisdictions.flatMap((code) => [
    enterpriseRegisterPartition(code),
    ...ledgerStatuses.map((status) => hazardLedgerPartition(code, status)),
    ...tipStatuses.map((status) => tipInboxPartition(code, status)),
  ]);
  for (const partition of partitions) {
    const page = await queryIndexPage(documents, {
      tableName,
      indexName: 'gsi1',
      partition,
      limit: 1,
      pick: (item) => item.pk,
    });
    if (page.items.length) return true;
  }
  return false;
}

export interface DemoSeedDependencies {
  events: EventStore;
  documents: DynamoDBDocumentClient;
  tableName: string;
  jurisdictions: readonly string[];
  /** The cloud's time now: the demo's past ends here. */
  now: Date;
  calendar: HolidayCalendar;
  policy: EscalationPolicy;
  receiptKey: Uint8Array;
  notifier: Notifier;
}

/**
 * Who the demo jurisdiction's office recipients are (its administrator's contact lists), so
 * that the demo's escalations reach someone in the outbox rather than "nobody on file".
 * Invented addresses (example.cn) and numbers; kept if an administrator wrote lists already.
 */
async function seedDemoContacts(deps: DemoSeedDependencies): Promise<void> {
  const email = (name: string) => ({
    kind: 'email' as const,
    address: `${name}@gecheng.example.cn`,
  });
  const sms = (phone: string) => ({ kind: 'sms' as const, phone });
  await new DynamoPolicyStore(deps.documents, deps.tableName).putJurisdictionContacts(
    demoJurisdiction,
    {
      assigned_officer: [email('zhangwei'), sms('13900000101')],
      jurisdiction_departments: [email('yingji'), email('shichang')],
      department_head: [email('zhouqiang'), sms('13900000102')],
      leader_in_charge: [sms('13900000103')],
      principal_leader: [sms('13900000104')],
      reward_officer: [email('lvna'), sms('13900000105')],
    },
    {
      expectedVersion: 0,
      at: deps.now.toISOString(),
      by: { userId: `demo:${demoJurisdiction}.administrator`, name: '陶然' },
    },
  );
}

/** Seeds the demo office into an empty store; returns how many records it wrote (0: left alone). */
export async function seedDemoRecords(deps: DemoSeedDependencies): Promise<{ added: number }> {
  if (!deps.jurisdictions.includes(demoJurisdiction)) return { added: 0 };
  if (await storeHasRecords(deps.documents, deps.tableName, deps.jurisdictions)) {
    return { added: 0 };
  }
  await seedDemoContacts(deps);
  // The seed's own clock, moved through the demo's past; 09:30 CST of a day `days` from today.
  let time = deps.now.getTime();
  const clock = { now: () => new Date(time) };
  const today = Date.parse(`${cstDate(deps.now)}T01:30:00.000Z`);
  const momentOf = (days: number, hours = 0) =>
    Math.min(today + days * day + hours * 3600 * 1000, deps.now.getTime());
  const at = (days: number, hours = 0) => {
    time = momentOf(days, hours);
  };
  const dateIn = (days: number): DeadlineInput => ({
    date: cstDate(new Date(today + days * day)),
  });
  const quiet = { wake: async () => {} };
  const hazardDeps: HazardCommandDependencies = {
    events: deps.events,
    clock,
    calendar: deps.calendar,
    policy: deps.policy,
    lookBack: defaultLookBackPolicy,
    workflow: quiet,
  };
  const lifecycle: LifecycleDependencies = {
    events: deps.events,
    notifier: deps.notifier,
    clock,
    policy: deps.policy,
    lookBack: defaultLookBackPolicy,
    calendar: deps.calendar,
    spread: () => 60,
  };
  // The demo users of the jurisdiction (auth/demo-users.ts): what they did is on the records.
  const officer: Actor = { kind: 'person', id: `demo:${demoJurisdiction}.officer`, name: '张伟' };
  const rewardOfficer: Actor = {
    kind: 'person',
    id: `demo:${demoJurisdiction}.reward_officer`,
    name: '曹颖',
  };
  // A major hazard is signed off by a second person, the department head (closure.ts).
  const head: Actor = {
    kind: 'person',
    id: `demo:${demoJurisdiction}.department_head`,
    name: '周强',
  };
  const jurisdiction = demoJurisdiction;
  let added = 0;
  let key = 0;
  const nextKey = () => `demo-seed-${++key}`;

  /** Runs a record's lifecycle from the seed's time to `until` (now), as the conductor would. */
  const drive = async (
    turnOf: (generation: number, turn: number) => Promise<TurnPlan>,
    escalate: (generation: number, turn: number) => Promise<StepsRecorded>,
    generation: number,
    until = deps.now.getTime(),
  ) => {
    let next: TurnPlan | null = null;
    for (let turn = 0; turn < 200; turn++) {
      const plan: TurnPlan = next ?? (await turnOf(generation, turn));
      next = null;
      if (plan.action === 'escalate') {
        const recorded = await escalate(generation, plan.turn);
        if (recorded.next.action === 'wait') next = recorded.next;
      } else if (plan.action === 'wait') {
        const next = time + plan.timeoutSeconds * 1000;
        if (next > until) break;
        time = next;
      } else break;
    }
  };
  const driveHazard = async (hazardId: string, until?: number) =>
    drive(
      (generation, turn) => planTurn(lifecycle, { hazardId, generation, turn }),
      (generation, turn) => recordDueSteps(lifecycle, { hazardId, generation, turn }),
      await nextGeneration(deps.events, hazardId),
      until,
    );
  const tipLifecycle = {
    events: deps.events,
    notifier: deps.notifier,
    clock,
    limits: defaultTipTimeLimits,
    calendar: deps.calendar,
    officeHours: deps.policy.officeHours,
  };
  const driveTip = async (tipId: string) =>
    drive(
      (generation, turn) => planTipTurn(tipLifecycle, { tipId, generation, turn }),
      (generation, turn) => recordDueTipSteps(tipLifecycle, { tipId, generation, turn }),
      await nextTipGeneration(deps.events, tipId),
    );

  // The register.
  const usccs: string[] = [];
  at(-60);
  for (const [index, enterprise] of enterprises.entries()) {
    const uscc = demoUscc(index + 1);
    usccs.push(uscc);
    const record: Enterprise = {
      uscc,
      name: enterprise.name,
      address: enterprise.address,
      industry: enterprise.industry,
      jurisdiction,
      principal: { name: enterprise.principal, mobile: mobile(index, 0) },
      controller: { name: enterprise.controller, mobile: mobile(index, 1) },
      contacts: [
        {
          name: `${enterprise.principal.slice(0, 1)}安全员`,
          role: '安全员',
          mobile: mobile(index, 2),
        },
      ],
    };
    const result = await deps.events.append(
      enterpriseStream(jurisdiction, uscc),
      null,
      {
        type: 'enterprise_registered',
        at: clock.now().toISOString(),
        actor: officer,
        data: record,
        idempotencyKey: 'enterprise_registered',
      },
      enterpriseProjection,
    );
    if (result.kind === 'appended') added++;
  }

  // Tips: received from the public (web) or entered from the hotline.
  const receiptKey = deps.receiptKey;
  const receiveTip = async (tip: {
    days: number;
    hours?: number;
    channel: TipReceived['channel'];
    industry: string;
    enterprise?: string;
    unit: string;
    address: string;
    description: string;
    wantsReward?: boolean;
  }) => {
    at(tip.days, tip.hours ?? 0);
    const receipt = await receiptFor(receiptKey, nextKey());
    const tipId = await tipIdFor(receiptKey, receipt);
    const content = {
      jurisdiction,
      unit: tip.unit,
      industry: tip.industry,
      ...(tip.enterprise ? { enterprise: tip.enterprise } : {}),
      address: tip.address,
      description: tip.description,
      seenOn: cstDate(clock.now()),
      isEmployee: false,
      wantsReward: tip.wantsReward ?? false,
    };
    const received: TipReceived = {
      ...content,
      tipId,
      channel: tip.channel,
      photoIds: [],
      contentDigest: await tipContentDigest(
        receiptKey,
        canonicalJson({ ...content, hasContactPhone: false, photoCount: 0, channel: tip.channel }),
      ),
      acceptDeadline: tipDeadline(
        defaultTipTimeLimits.accept,
        clock.now(),
        deps.calendar,
      ).toISOString(),
    };
    const actor: Actor = tip.channel === 'web' ? { kind: 'tipster', id: 'tipster' } : officer;
    const result = await deps.events.append(
      tipStream(tipId),
      null,
      {
        type: 'tip_received',
        at: clock.now().toISOString(),
        actor,
        data: received,
        idempotencyKey: 'tip_received',
      },
      tipProjection,
    );
    if (result.kind === 'appended') added++;
    return tipId;
  };
  const tipCommand = async (
    tipId: string,
    days: number,
    command: TipCommand,
    actor: Actor = officer,
  ) => {
    at(days, 1);
    await giveTipCommand(
      {
        events: deps.events,
        clock,
        calendar: deps.calendar,
        limits: defaultTipTimeLimits,
        workflow: quiet,
      },
      { tipId, command, actor, idempotencyKey: nextKey() },
    );
  };

  // Hazards: each a script of commands on its own days (negative: before today).
  const hazard = async (
    facts: Omit<HazardFacts, 'hazardId' | 'jurisdiction' | 'enterprise' | 'source'> & {
      enterprise: number;
      source?: HazardFacts['source'];
      tipId?: string;
    },
    days: number,
    script: [number, HazardCommand][],
  ) => {
    at(days);
    const idempotencyKey = nextKey();
    const hazardId = facts.tipId
      ? await hazardIdForTip(jurisdiction, facts.tipId)
      : await hazardIdFor(jurisdiction, idempotencyKey);
    const { enterprise, source, ...rest } = facts;
    const recorded = await recordHazard(hazardDeps, {
      facts: {
        hazardId,
        jurisdiction,
        source: source ?? 'inspection',
        enterprise: usccs[enterprise] ?? '',
        ...rest,
      },
      actor: officer,
      idempotencyKey,
    });
    if (!recorded.duplicate) added++;
    for (const [when, command] of script) {
      // The ladder runs up to the command first: a step due before it is on the log at its
      // own time, not late at the command's (a reminder flagged late in the demo).
      await driveHazard(hazardId, momentOf(when, 2));
      at(when, 2);
      const signOff = command.type === 'close' && facts.grade === 'major';
      await giveCommand(hazardDeps, {
        hazardId,
        command,
        actor: signOff ? head : officer,
        roles: signOff ? ['department_head'] : ['officer'],
        idempotencyKey: nextKey(),
      });
    }
    await driveHazard(hazardId);
    return hazardId;
  };
  const plan = (what: string): RectificationPlan => ({
    goalAndTasks: `消除${what}隐患，整改验收合格。`,
    methodsAndMeasures: '停用相关设施，委托有资质单位检测并整改。',
    fundsAndMaterials: '企业自筹整改资金，材料由施工单位采购。',
    responsibleBodyAndPeople: '企业主要负责人牵头，安全员具体落实。',
    deadlineAndRequirements: '按期完成，整改后报街道复核。',
    safetyAndEmergencyMeasures: '整改期间设置警戒区，配备灭火器材，专人值守。',
  });

  await hazard(
    {
      enterprise: 2,
      industry: 'fire',
      place: '一楼超市东侧安全出口',
      grade: 'general',
      description: '安全出口被货物堆放堵塞，疏散通道宽度不足。',
    },
    -1,
    [],
  );
  await hazard(
    {
      enterprise: 3,
      industry: 'city_gas',
      place: '滨河路调压站',
      grade: 'major',
      standard: { ref: '建城规〔2023〕4号', clause: '第五条第（二）项' },
      description: '调压站未设置可燃气体泄漏报警装置，且与周边建筑防火间距不足。',
    },
    0,
    [],
  );
  await hazard(
    {
      enterprise: 1,
      industry: 'construction',
      place: '西门安置房项目 3 号楼',
      grade: 'general',
      description: '脚手架连墙件缺失，外侧未满挂密目安全网。',
    },
    -6,
    [
      [
        -5,
        {
          type: 'start_rectification',
          responsible: '刘德胜',
          measures: '补设连墙件，满挂密目网，整改后组织验收。',
          deadline: dateIn(8),
        },
      ],
    ],
  );
  await hazard(
    {
      enterprise: 0,
      industry: 'hazardous_chemicals',
      place: '卸油区及油罐区',
      grade: 'major',
      standard: { ref: '安监总管三〔2017〕121号', clause: '第十条' },
      description: '卸油区静电接地报警仪失效，油罐区可燃气体检测报警系统未投用。',
    },
    -8,
    [
      [
        -7,
        {
          type: 'start_rectification',
          responsible: '黄建国',
          measures: '更换静电接地报警仪，检修并投用可燃气体报警系统。',
          deadline: dateIn(20),
          plan: plan('卸油区静电及可燃气体报警'),
        },
      ],
    ],
  );
  // Overdue: its deadline passed twelve days ago, and the ladder has gone on since.
  const overdue = await hazard(
    {
      enterprise: 5,
      industry: 'road_transport',
      place: '车站路停车场',
      grade: 'general',
      description: '2 辆客运车辆动态监控装置故障未修复，仍在营运。',
    },
    -30,
    [
      [
        -29,
        {
          type: 'start_rectification',
          responsible: '郑云飞',
          measures: '维修动态监控装置，故障车辆停运至修复。',
          deadline: dateIn(-12),
        },
      ],
    ],
  );
  // Then leaders acted on it (issue 15): the leader in charge held a summons, and the
  // principal leader approved its public exposure (the public exposure page lists it).
  // Keys of their own: the numbered keys name the later hazards (and sample their look-backs).
  const leader = (role: string, name: string): Actor => ({
    kind: 'person',
    id: `demo:${demoJurisdiction}.${role}`,
    name,
  });
  at(-2, 5);
  await giveCommand(hazardDeps, {
    hazardId: overdue,
    command: {
      type: 'record_summons',
      attendees: '企业主要负责人、安全管理负责人',
      agreed: '三日内完成动态监控装置维修，故障车辆停运至修复。',
      nextDate: cstDate(new Date(today + 5 * day)),
    },
    actor: leader('leader_in_charge', '蒋平'),
    idempotencyKey: 'demo-seed-leader-summons',
  });
  at(-1, 5);
  const exposed = await giveCommand(hazardDeps, {
    hazardId: overdue,
    command: {
      type: 'approve_exposure',
      documentNumber: '葛城安委曝〔2026〕1号',
      reason: '逾期未整改，经约谈仍未落实。',
    },
    actor: leader('principal_leader', '秦川'),
    idempotencyKey: 'demo-seed-leader-exposure',
    ...(enterprises[5] ? { enterpriseName: enterprises[5].name } : {}),
  });
  if (exposed.kind === 'done') {
    await listIfExposed(
      new DynamoExposureList(deps.documents, deps.tableName),
      exposed.snapshot.state,
    );
  }
  await hazard(
    {
      enterprise: 6,
      industry: 'industry_trade',
      place: '木材加工车间',
      grade: 'general',
      description: '除尘系统未设置泄爆装置，车间积尘较厚。',
    },
    -10,
    [
      [
        -9,
        {
          type: 'start_rectification',
          responsible: '谭先锋',
          measures: '加装泄爆片，建立每班清扫制度。',
          deadline: dateIn(5),
        },
      ],
      [-1, { type: 'submit_evidence', note: '泄爆片已安装，清扫记录已建立。', photoKeys: [] }],
    ],
  );
  await hazard(
    {
      enterprise: 4,
      industry: 'fire',
      place: '三楼客房走道',
      grade: 'general',
      description: '走道应急照明灯损坏 4 处，疏散指示标志缺失。',
    },
    -20,
    [
      [
        -19,
        {
          type: 'start_rectification',
          responsible: '吴丽华',
          measures: '更换应急照明灯，补设疏散指示标志。',
          deadline: dateIn(-10),
        },
      ],
      [-14, { type: 'submit_evidence', note: '应急照明及疏散指示已全部更换。', photoKeys: [] }],
      [-13, { type: 'pass_verification', note: '现场复查，整改到位。', onSite: true }],
      [-13, { type: 'close', note: '整改完成，予以销号。' }],
    ],
  );
  await hazard(
    {
      enterprise: 7,
      industry: 'fireworks',
      place: '1 号成品仓库',
      grade: 'major',
      standard: { ref: '安监总管三〔2017〕121号', clause: '第四条第（三）项' },
      description: '仓库超量储存烟花爆竹成品，且与生活区防护距离不足。',
    },
    -45,
    [
      [
        -44,
        {
          type: 'start_rectification',
          responsible: '冉光荣',
          measures: '清运超量产品，调整储存区域。',
          deadline: dateIn(-25),
          plan: plan('超量储存'),
        },
      ],
      [
        -28,
        { type: 'submit_evidence', note: '超量产品已清运，储存量在核定范围内。', photoKeys: [] },
      ],
      [-27, { type: 'pass_verification', note: '现场核查储存量符合要求。', onSite: true }],
      [-27, { type: 'close', note: '重大事故隐患整改完成，予以销号。' }],
    ],
  );

  // Tips: one received today, one accepted, one that became a hazard.
  await driveTip(
    await receiveTip({
      days: 0,
      hours: -1,
      channel: 'web',
      industry: 'fire',
      enterprise: '老街一家火锅店',
      unit: '东门社区',
      address: '东门社区老街 21 号',
      description: '火锅店后厨把液化气钢瓶放在室内，旁边就是灶台，没有报警器。',
    }),
  );
  const accepted = await receiveTip({
    days: -1,
    channel: 'hotline',
    industry: 'metal_nonmetal_mine',
    enterprise: '石门沟采石场',
    unit: '西门社区',
    address: '西门社区石门沟',
    description: '采石场放炮没有警戒，飞石落到了村道上。',
  });
  await tipCommand(accepted, -1, { type: 'accept' });
  await driveTip(accepted);
  const turned = await receiveTip({
    days: -4,
    channel: 'web',
    industry: 'special_equipment',
    enterprise: '东大街小区物业',
    unit: '东门社区',
    address: '东门社区东大街 108 号小区 2 栋',
    description: '2 栋电梯经常突然停在两层之间，检验合格证已经过期。',
  });
  await tipCommand(turned, -4, { type: 'accept' });
  await tipCommand(turned, -3, { type: 'start_investigation' });
  const fromTip = await hazard(
    {
      enterprise: 8,
      industry: 'special_equipment',
      place: '东大街 108 号小区 2 栋电梯',
      grade: 'general',
      description: '电梯定期检验超期，运行中存在困人情况。',
      source: 'tip',
      tipId: turned,
    },
    -3,
    [
      [
        -2,
        {
          type: 'start_rectification',
          responsible: '向晓梅',
          measures: '停用电梯，申请定期检验，维保单位排查故障。',
          deadline: dateIn(10),
        },
      ],
    ],
  );
  await tipCommand(turned, -2, {
    type: 'record_finding',
    finding: 'substantiated',
    note: '经现场核查，举报属实，已立为隐患督促整改。',
    hazardId: fromTip,
  });
  // Its case result is in: the reward officer's desk has a reward to compute.
  await tipCommand(turned, -1, {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'general', fineYuan: 20_000 },
    documentNumber: '渝葛应急罚〔2026〕21号',
  });
  await driveTip(turned);
  await driveHazard(fromTip);

  // The department head's desk: an extension asked for, due tomorrow as it stands.
  await hazard(
    {
      enterprise: 10,
      industry: 'fire',
      place: '后厨燃气管道',
      grade: 'general',
      description: '后厨燃气管道穿越墙体未加套管，未安装燃气泄漏报警及紧急切断装置。',
    },
    -12,
    [
      [
        -11,
        {
          type: 'start_rectification',
          responsible: '张桂芳',
          measures: '加装套管，安装燃气泄漏报警器和紧急切断阀。',
          deadline: dateIn(1),
        },
      ],
      [
        -1,
        {
          type: 'request_extension',
          deadline: dateIn(10),
          reason: '紧急切断阀须由燃气公司停气配合安装，最早下周施工。',
        },
      ],
    ],
  );
  // The leaders' desk: fifteen days overdue, so the summons (约谈, urgent) fell due at
  // 00:00 CST today and is on the log as an escalation of today. Reported before the other
  // overdue hazard, which the ledger lists first (newest first).
  await hazard(
    {
      enterprise: 11,
      industry: 'industry_trade',
      place: '冷库及制冷机房',
      grade: 'general',
      description: '冷库门内未设置应急开启装置和报警按钮，制冷机房通风设施损坏。',
    },
    -40,
    [
      [
        -39,
        {
          type: 'start_rectification',
          responsible: '罗永红',
          measures: '冷库门加装内开装置和报警按钮，修复机房排风扇。',
          deadline: dateIn(-15),
        },
      ],
    ],
  );
  // The reward officers' desk: a reward computed by one, for another to approve.
  const rewarded = await receiveTip({
    days: -20,
    channel: 'web',
    industry: 'fire',
    enterprise: '西门商贸仓库',
    unit: '西门社区',
    address: '西门社区西大街 15 号后院仓库',
    description: '仓库里堆满纸箱，消防通道被锁死，灭火器都过期了。',
    wantsReward: true,
  });
  await tipCommand(rewarded, -20, { type: 'accept' });
  await tipCommand(rewarded, -19, { type: 'start_investigation' });
  await tipCommand(rewarded, -17, {
    type: 'record_finding',
    finding: 'substantiated',
    note: '现场检查属实，已责令改正并立案查处。',
  });
  await tipCommand(rewarded, -16, {
    type: 'give_feedback',
    text: '经核查，您反映的问题属实，已依法查处并责令整改。感谢您的监督。',
  });
  await tipCommand(rewarded, -10, {
    type: 'record_outcome',
    outcome: { kind: 'fine_imposed', hazardGrade: 'general', fineYuan: 30_000 },
    documentNumber: '渝葛应急罚〔2026〕17号',
  });
  await tipCommand(rewarded, -8, { type: 'compute_reward' }, rewardOfficer);
  await driveTip(rewarded);
  return { added };
}
