import type { HolidayCalendar } from '../calendar/calendar.ts';
import {
  enterprisePlace,
  enterpriseProjection,
  enterpriseStream,
} from '../enterprises/enterprise.ts';
import { appendWithRetry } from '../event-log/append-with-retry.ts';
import type { EventStore, Snapshot } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import {
  enterpriseLinkMessage,
  enterpriseLinkUrls,
  textedLinkDaysAfterDeadline,
} from '../notifications/enterprise-link-message.ts';
import { renderEscalationMessage } from '../notifications/escalation-messages.ts';
import type { Clock } from '../ports/clock.ts';
import type { Notifier } from '../ports/outbox.ts';
import { tipProjection } from '../tips/tip-projection.ts';
import { type HazardStage, tipStream } from '../tips/tip-state.ts';
import {
  afterRecording,
  appendAsGeneration,
  claimGeneration,
  dueForRenewal,
  type TurnInput as GenerationTurnInput,
  nextGenerationOf,
  outstanding,
  type PlannedSnapshots,
  recordThenDeliver,
  type StepsRecorded,
  spreadSeconds,
  type TurnPlan,
  waitSeconds,
} from '../workflow/turns.ts';
import { citeStandard } from './citation.ts';
import { type DueStep, type EscalationPolicy, planEscalation } from './escalation.ts';
import {
  currentRound,
  type HazardEvent,
  type HazardState,
  hazardProjection,
  hazardStream,
  type LinkRecipient,
} from './hazard.ts';
import type { LookBackPolicy } from './look-back.ts';
import { isMobile, partyName, sitePersonRecipient } from './site.ts';

export { maxWaitSeconds, renewal, type StepsRecorded, type TurnPlan } from '../workflow/turns.ts';

/**
 * The work of the lifecycle workflow's tasks, free of Step Functions: plan a turn from
 * the record and the clock; record due escalation steps once and deliver them at least
 * once. The Lambda handlers (AWS) and the local conductor call these.
 *
 * Generations: each execution carries a generation number and claims it on the hazard's
 * log before acting. Every write is conditional on the log's version, so once a newer
 * generation has claimed the hazard, an older execution's write conflicts, it reloads,
 * sees the newer generation, and stops: two executions of one hazard never both act.
 */
export interface LifecycleDependencies {
  events: EventStore;
  notifier: Notifier;
  clock: Clock;
  policy: EscalationPolicy;
  /** The ladder of a hazard's jurisdiction (policy data); without it `policy` applies to all. */
  policyFor?: (jurisdiction: string) => Promise<EscalationPolicy>;
  lookBack: LookBackPolicy;
  calendar: HolidayCalendar;
  /**
   * A record's offset after a step's time, in seconds (default: spreadSeconds, up to five
   * minutes). Tests that check a ladder to the minute set it to zero.
   */
  spread?: (id: string) => number;
  /** The site's address, for absolute links in messages; absent: paths on the site. */
  siteUrl?: string;
  /**
   * Signs a link that opens the hazard to its enterprise until `expiresAt` (the
   * deployment's link key; access-link.ts): with it, each round's link is texted to whoever
   * answers for the party, and the enterprise's escalation messages carry a fresh one.
   * Absent: no link is sent (the officer copies one from the hazard's page).
   */
  enterpriseLink?: (hazardId: string, expiresAt: Date) => Promise<string>;
  /**
   * Whether each round's link is texted: the planning task holds no link key (on AWS only
   * Escalate does) but must know there is a link to send. Default: whether `enterpriseLink`
   * is given.
   */
  textsEnterpriseLinks?: boolean;
  /** Plan hands the hazard it planned an escalation from to RecordDueSteps (one process). */
  plannedHazards?: PlannedSnapshots<HazardState>;
}

/** The dependencies with the ladder of the hazard's jurisdiction as `policy`. */
const withLadderOf = async (
  deps: LifecycleDependencies,
  state: HazardState,
): Promise<LifecycleDependencies> =>
  deps.policyFor ? { ...deps, policy: await deps.policyFor(state.jurisdiction) } : deps;

export interface TurnInput extends GenerationTurnInput {
  hazardId: string;
}

const systemActor = { kind: 'system' as const, id: 'lifecycle' };
const logOf = (deps: LifecycleDependencies) => ({
  events: deps.events,
  clock: deps.clock,
  projection: hazardProjection,
  actor: systemActor,
});

function escalationPlan(deps: LifecycleDependencies, state: HazardState) {
  const round = currentRound(state);
  if (!round) return { due: [] as DueStep[], nextAt: null };
  return planEscalation({
    hazardId: state.hazardId,
    round,
    recorded: new Set(state.escalations.map((entry) => entry.key)),
    closed: state.status === 'closed',
    now: deps.clock.now(),
    policy: deps.policy,
    calendar: deps.calendar,
  });
}

/** The generation the next execution of a hazard must carry (its log says who holds it). */
export const nextGeneration = (events: EventStore, hazardId: string) =>
  nextGenerationOf(events, hazardStream(hazardId), hazardProjection);

export async function planTurn(base: LifecycleDependencies, input: TurnInput): Promise<TurnPlan> {
  const turn = (input.turn ?? 0) + 1;
  const stream = hazardStream(input.hazardId);
  base.plannedHazards?.take(stream);
  const loaded = await base.events.load(stream, hazardProjection);
  if (!loaded) return { action: 'done', timeoutSeconds: 1, turn, version: 0 };
  const deps = await withLadderOf(base, loaded.state);
  const snapshot = await claimGeneration(logOf(deps), loaded, input.generation);
  if (!snapshot) return { action: 'done', timeoutSeconds: 1, turn, version: loaded.version };
  const plan = planFrom(deps, snapshot, input, turn);
  if (plan.action === 'escalate') base.plannedHazards?.keep(snapshot);
  return plan;
}

/** A turn's plan from the hazard as this generation holds it and the clock. */
function planFrom(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  input: GenerationTurnInput,
  turn: number,
): TurnPlan {
  const { version, state } = snapshot;
  const done = { action: 'done', timeoutSeconds: 1, turn, version } as const;
  const now = deps.clock.now();
  if (dueForRenewal(input, turn, now)) return { action: 'renew', timeoutSeconds: 1, turn, version };
  const undelivered = state.escalations.some(outstanding);
  const escalation = escalationPlan(deps, state);
  const lookBackDue = state.lookBack?.status === 'scheduled' && state.lookBack.dueAt;
  const untold =
    (state.grade === 'major' && !state.enterpriseTold && state.status !== 'closed') ||
    linkDue(deps, state) ||
    (state.tipId !== undefined && state.tipTold !== tipStageKey(state));
  if (
    escalation.due.length ||
    undelivered ||
    untold ||
    (lookBackDue && new Date(lookBackDue) <= now)
  ) {
    return { action: 'escalate', timeoutSeconds: 1, turn, version };
  }
  const wakeAt =
    state.status === 'closed' ? (lookBackDue ? new Date(lookBackDue) : null) : escalation.nextAt;
  if (state.status === 'closed' && !wakeAt) return done;
  const timeoutSeconds = waitSeconds(now, wakeAt, (deps.spread ?? spreadSeconds)(state.hazardId));
  return { action: 'wait', timeoutSeconds, turn, version };
}

/**
 * Records every due step on the log exactly once (the step key is the idempotency key),
 * earliest due first, and a due look-back; then delivers each recorded, undelivered step's
 * messages, each carrying the step key, and marks it delivered. A crash between the two
 * delivers again: at least once. A stale generation records and sends nothing.
 *
 * The hazard is read again before each delivery: a step recorded before the hazard was
 * closed is never delivered after the close, nor silently dropped. It is withdrawn on the
 * log (`escalation_withdrawn`, reason `hazard_closed`), and a retried delivery finds the
 * withdrawal and sends nothing.
 */
export async function recordDueSteps(
  base: LifecycleDependencies,
  input: TurnInput,
): Promise<StepsRecorded> {
  const stream = hazardStream(input.hazardId);
  const loaded =
    base.plannedHazards?.take(stream) ?? (await base.events.load(stream, hazardProjection));
  const deps = loaded ? await withLadderOf(base, loaded.state) : base;
  const { snapshot, ...counts } = await recordThenDeliver<
    HazardState,
    HazardEvent,
    HazardState['escalations'][number]
  >(logOf(deps), loaded, input.generation, {
    most: deps.policy.ladder.length,
    nextDue: (state) => {
      const [due] = escalationPlan(deps, state).due;
      if (!due) return null;
      return {
        type: 'escalation_step_recorded',
        data: {
          step: due.step,
          round: Number(due.key.split('#')[1]),
          dueAt: due.dueAt.toISOString(),
          late: due.late,
        },
        idempotencyKey: due.key,
      };
    },
    between: async (snapshot) => {
      const linked = await textEnterpriseLink(deps, snapshot, input.generation);
      const told = linked && (await tellEnterprise(deps, linked, input.generation));
      const tipTold = told && (await tellTip(deps, told, input.generation));
      return tipTold && recordLookBackDue(deps, tipTold, input.generation);
    },
    recordedSteps: (state) => state.escalations,
    deliver: (state, entry) => deliver(deps, state, entry),
    delivered: (entry) => ({
      type: 'escalation_step_delivered',
      data: { key: entry.key },
      idempotencyKey: `${entry.key}#delivered`,
    }),
    started: (entry) => {
      const attempt = (entry.deliveryAttempts ?? 0) + 1;
      return {
        type: 'escalation_delivery_started',
        data: { key: entry.key, attempt },
        idempotencyKey: `${entry.key}#started#${attempt}`,
      };
    },
    withdrawal: (state, entry) =>
      state.status === 'closed'
        ? {
            type: 'escalation_withdrawn',
            data: {
              key: entry.key,
              step: entry.step,
              round: entry.round,
              reason: 'hazard_closed',
            },
            idempotencyKey: `${entry.key}#withdrawn`,
          }
        : null,
  });
  const turn = input.turn ?? 0;
  return {
    ...counts,
    next: afterRecording(snapshot && planFrom(deps, snapshot, input, turn), turn),
  };
}

/**
 * Tells people, then records that they were told. A crash in between tells again, with
 * the same keys (at least once); a stale generation tells nobody.
 */
async function tellThenRecord(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  generation: number,
  told: {
    key: string;
    recipients: readonly string[];
    subject: Bilingual;
    body: Bilingual;
    event: HazardEvent;
  },
): Promise<Snapshot<HazardState> | null> {
  if (snapshot.state.generation !== generation) return null;
  for (const recipient of told.recipients) {
    if (!reachable(recipient, snapshot.state)) continue;
    await deps.notifier.send({
      key: `${told.key}#${recipient}`,
      channel: 'sms',
      to: addressOf(recipient, snapshot.state),
      subject: told.subject,
      body: told.body,
    });
  }
  // The key makes the record once only, however often this runs.
  return appendAsGeneration<HazardState, HazardEvent>(logOf(deps), snapshot, generation, () => ({
    ...told.event,
    idempotencyKey: told.key,
  }));
}

/** RULES.md: the enterprise's principal and controller are told of a major hazard at once. */
function tellEnterprise(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  generation: number,
): Promise<Snapshot<HazardState> | null> {
  const state = snapshot.state;
  // A major hazard imported closed (backlog.ts) is history: nobody is told of it now.
  if (state.grade !== 'major' || state.enterpriseTold || state.status === 'closed') {
    return Promise.resolve(snapshot);
  }
  const recipients = ['enterprise_principal', 'enterprise_controller'];
  const citation = citeStandard(state.standard ?? { ref: '', clause: '' });
  return tellThenRecord(deps, snapshot, generation, {
    key: `${state.hazardId}#major_hazard_recorded`,
    recipients,
    subject: {
      zh: `重大事故隐患告知：${state.place}`,
      en: `Major accident hazard on record: ${state.place}`,
    },
    body: {
      zh: `贵单位“${state.description}”已被认定为重大事故隐患（${citation.zh}），请主要负责人、实际控制人组织制定治理方案并整改。`,
      en: `"${state.description}" at your enterprise is on record as a major accident hazard (${citation.en}). The principal and the actual controller must see to a rectification plan and the fix.`,
    },
    event: { type: 'enterprise_told', data: { recipients } },
  });
}

/** Whether this round's link is still to be texted (once per round, by its key). */
const linkDue = (deps: LifecycleDependencies, state: HazardState) =>
  (deps.textsEnterpriseLinks ?? Boolean(deps.enterpriseLink)) &&
  state.status === 'rectifying' &&
  state.round !== null &&
  state.linkTexted?.round !== state.round.number;

/** Until the round's deadline and 60 days more, and never less than 60 days from now. */
function linkExpiry(deps: LifecycleDependencies, state: HazardState): Date {
  const days = textedLinkDaysAfterDeadline * 24 * 3600 * 1000;
  const deadline = state.round ? new Date(state.round.deadline).getTime() : 0;
  return new Date(Math.max(deadline, deps.clock.now().getTime()) + days);
}

/** The enterprise page's address with a freshly signed token, in both languages. */
async function freshLinks(deps: LifecycleDependencies, state: HazardState) {
  if (!deps.enterpriseLink) return undefined;
  const token = await deps.enterpriseLink(state.hazardId, linkExpiry(deps, state));
  return enterpriseLinkUrls(token, deps.siteUrl);
}

/**
 * Whether the party has a mobile on file: the principal's in the register entry of the
 * hazard's jurisdiction, or the place's person in charge's (a landline takes no SMS).
 */
async function mobileOnFile(deps: LifecycleDependencies, state: HazardState): Promise<boolean> {
  if (state.site) return isMobile(state.site.phone);
  if (!state.enterprise) return false;
  const entry = await deps.events.load(
    enterpriseStream(state.jurisdiction, state.enterprise),
    enterpriseProjection,
  );
  return Boolean(entry?.state.principal?.mobile);
}

/**
 * Issue 14: the enterprise's link goes by SMS as rectification starts, once per round
 * (the key `${hazardId}#${round}#enterprise_link`): to the register's principal, or to the
 * place's person in charge. With no mobile on file, the hazard records that nothing was
 * sent, and its page tells the officer to hand the link over.
 */
async function textEnterpriseLink(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  generation: number,
): Promise<Snapshot<HazardState> | null> {
  const state = snapshot.state;
  if (!linkDue(deps, state) || !state.round) return snapshot;
  const round = state.round.number;
  const recipient: LinkRecipient = state.site ? sitePersonRecipient : 'enterprise_principal';
  const key = `${state.hazardId}#${round}#enterprise_link`;
  if (!(await mobileOnFile(deps, state))) {
    if (state.generation !== generation) return null;
    return appendAsGeneration<HazardState, HazardEvent>(logOf(deps), snapshot, generation, () => ({
      type: 'enterprise_link_sent',
      data: { round, recipient, mobileOnFile: false },
      idempotencyKey: key,
    }));
  }
  const enterprise = state.enterprise
    ? await deps.events.load(
        enterpriseStream(state.jurisdiction, state.enterprise),
        enterpriseProjection,
      )
    : undefined;
  const links = await freshLinks(deps, state);
  // Planned but not signable: a deployment's mistake, failed loudly (the task retries).
  if (!links) throw new Error('Enterprise links are to be texted, but no link key is set');
  return tellThenRecord(deps, snapshot, generation, {
    key,
    recipients: ['enterprise_principal'],
    ...enterpriseLinkMessage({
      partyName: partyName(state, enterprise?.state.name),
      place: state.place,
      deadline: state.round.deadline,
      links,
    }),
    event: { type: 'enterprise_link_sent', data: { round, recipient, mobileOnFile: true } },
  });
}

function recordLookBackDue(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  generation: number,
): Promise<Snapshot<HazardState> | null> {
  const { lookBack, hazardId, round, place, description } = snapshot.state;
  if (lookBack?.status !== 'scheduled' || new Date(lookBack.dueAt) > deps.clock.now()) {
    return Promise.resolve(snapshot);
  }
  return tellThenRecord(deps, snapshot, generation, {
    key: `${hazardId}#${round?.number ?? 0}#look_back`,
    recipients: ['assigned_officer'],
    subject: { zh: `回头看到期：${place}`, en: `Look-back due: ${place}` },
    body: {
      zh: `已销号隐患“${description}”抽中回头看，请复查整改是否保持。`,
      en: `The closed hazard "${description}" was sampled for a look-back: check that the fix holds.`,
    },
    event: { type: 'look_back_due', data: { dueAt: lookBack.dueAt } },
  });
}

/** The stage the tipster is told of, keyed by round: a reopened hazard is told again. */
const tipStageKey = (state: HazardState) =>
  `${state.round?.number ?? 0}#${state.status === 'reported' ? 'recorded' : state.status}`;

/**
 * The tipster follows the hazard their tip became: each stage goes on the tip's timeline
 * once (keyed by hazard, round and stage), then the hazard records that it told. The
 * tip's log is written first: a crash in between writes nothing twice (same key).
 */
async function tellTip(
  deps: LifecycleDependencies,
  snapshot: Snapshot<HazardState>,
  generation: number,
): Promise<Snapshot<HazardState> | null> {
  const state = snapshot.state;
  const stageKey = tipStageKey(state);
  if (!state.tipId || state.tipTold === stageKey) return snapshot;
  if (state.generation !== generation) return null;
  const [round, stage] = stageKey.split('#') as [string, HazardStage];
  await appendWithRetry(
    deps.events,
    tipProjection,
    await deps.events.load(tipStream(state.tipId), tipProjection),
    () => ({
      type: 'hazard_progressed',
      data: { stage, hazardId: state.hazardId },
      at: deps.clock.now().toISOString(),
      actor: systemActor,
      idempotencyKey: `hazard#${state.hazardId}#${stageKey}`,
    }),
    { attempts: 5 },
  );
  return appendAsGeneration<HazardState, HazardEvent>(logOf(deps), snapshot, generation, () => ({
    type: 'tip_told',
    data: { stage, round: Number(round) },
    idempotencyKey: `tip_told#${stageKey}`,
  }));
}

/**
 * Enterprise people are reached through the hazard's jurisdiction's record of the
 * enterprise (each jurisdiction keeps its own); officials through the jurisdiction.
 */
const addressOf = (recipient: string, state: HazardState) => {
  if (!recipient.startsWith('enterprise_')) return `${recipient}@${state.jurisdiction}`;
  // A place's person in charge is on the hazard itself: the delivery reads it there.
  if (state.site) return `${sitePersonRecipient}@${state.hazardId}`;
  return `${recipient}@${enterprisePlace(state.jurisdiction, state.enterprise ?? '')}`;
};

/**
 * A place without a credit code (site.ts) has no register entry: its person in charge
 * stands for the principal when the phone on the hazard is a mobile (a landline takes no
 * SMS), and nobody for the controller. The officials are told as ever, and the messages
 * name the place.
 */
const reachable = (recipient: string, state: HazardState) => {
  if (!recipient.startsWith('enterprise_') || state.enterprise) return true;
  return recipient === 'enterprise_principal' && isMobile(state.site?.phone ?? '');
};

async function deliver(
  deps: LifecycleDependencies,
  state: HazardState,
  entry: HazardState['escalations'][number],
): Promise<void> {
  const rung = deps.policy.ladder.find((candidate) => candidate.step === entry.step);
  if (!rung || !state.round) return;
  // The enterprise by name, as the hazard's jurisdiction registered it (else its code).
  // A place without a credit code is named as the officer recorded it (site.ts).
  const enterprise = state.enterprise
    ? await deps.events.load(
        enterpriseStream(state.jurisdiction, state.enterprise),
        enterpriseProjection,
      )
    : undefined;
  const facts = {
    hazardId: state.hazardId,
    enterpriseName: partyName(state, enterprise?.state.name),
    place: state.place,
    description: state.description,
    deadline: state.round.deadline,
    now: deps.clock.now(),
    late: entry.late,
    ...(deps.siteUrl ? { siteUrl: deps.siteUrl } : {}),
  };
  // The enterprise's messages carry a link signed now: the one it was texted may be lost.
  const toEnterprise = rung.recipients.some(
    (recipient) => recipient.startsWith('enterprise_') && reachable(recipient, state),
  );
  const links = toEnterprise ? await freshLinks(deps, state) : undefined;
  for (const recipient of rung.recipients) {
    if (!reachable(recipient, state)) continue;
    await deps.notifier.send({
      key: `${entry.key}#${recipient}`,
      channel: recipient === 'public_page' ? 'webhook' : 'sms',
      to: addressOf(recipient, state),
      ...renderEscalationMessage(
        entry.step,
        recipient,
        { ...facts, ...(links ? { enterpriseLinks: links } : {}) },
        deps.policy.messages,
      ),
    });
  }
}
