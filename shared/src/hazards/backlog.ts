import { cstDate, endOfCstDay } from '../calendar/calendar.ts';
import type { Actor } from '../event-log/event-log.ts';
import type { Bilingual } from '../i18n/text.ts';
import { giveRecordCommand } from '../workflow/decisions.ts';
import type { HazardCommandDependencies } from './commands.ts';
import { byDueTime, scheduleRound } from './escalation.ts';
import { checkTransition, type HazardEvent, hazardProjection, hazardStream } from './hazard.ts';

/**
 * A paper ledger brought in (issue 15): hazards found long ago, deadlines long past, some
 * closed already. The system must hold them as they stand without acting out their past:
 *
 * - An open row's rectification starts with its real deadline, past or not, and the round
 *   records `reachedBefore`: the import's instant. The planner (escalation.ts) counts every
 *   step due by then as reached and sends nothing for it; the next step fires at its own
 *   time. An extension moves only the steps still to come, as for any round; a failed
 *   verification or a reopening starts a fresh round with a full ladder.
 * - A closed row is recorded and closed at once (`closed_before_import`, with the day it
 *   was closed): no rectification, no ladder, no look-back.
 */

/** The statuses a ledger row may state: open (blank) or closed (销号). */
export const closedStatusWords = ['已销号', '销号', '已关闭', 'closed'] as const;

export const backlogRefusals = {
  closedOnMissing: {
    zh: '已销号的隐患须填写销号日期。',
    en: 'A closed hazard needs the date it was closed.',
  },
  closedOnAfterToday: {
    zh: '销号日期不能晚于今天。',
    en: 'The date the hazard was closed cannot be after today.',
  },
  closedBeforeFound: {
    zh: '销号日期不能早于发现日期。',
    en: 'The date closed cannot be before the date found.',
  },
  pastDeadlineWithoutFoundOn: {
    zh: '整改期限已过：请填写发现日期，按台账如实导入为逾期隐患。',
    en: 'The deadline has passed: give the date the hazard was found, so that it is imported as overdue, as the ledger has it.',
  },
  closedOnButOpen: {
    zh: '填写了销号日期，但状态不是“已销号”：请核对状态或删去销号日期。',
    en: 'A date closed is given but the status is not closed (已销号): check the status or remove the date.',
  },
  deadlineBeforeFound: {
    zh: '整改期限不能早于发现日期。',
    en: 'The deadline cannot be before the date the hazard was found.',
  },
} satisfies Record<string, Bilingual>;

/** Why an imported row's dates cannot stand together, with the column to blame; else null. */
export function backlogRefusal(
  row: { foundOn?: string; deadline?: string; status?: 'open' | 'closed'; closedOn?: string },
  now: Date,
): { path: string; message: Bilingual } | null {
  const today = cstDate(now);
  if (row.status === 'closed') {
    if (!row.closedOn) return { path: 'closedOn', message: backlogRefusals.closedOnMissing };
    if (row.closedOn > today)
      return { path: 'closedOn', message: backlogRefusals.closedOnAfterToday };
    if (row.foundOn && row.closedOn < row.foundOn)
      return { path: 'closedOn', message: backlogRefusals.closedBeforeFound };
    return null;
  }
  if (row.closedOn) return { path: 'status', message: backlogRefusals.closedOnButOpen };
  if (!row.deadline) return null;
  if (row.foundOn && row.deadline < row.foundOn)
    return { path: 'deadline', message: backlogRefusals.deadlineBeforeFound };
  if (endOfCstDay(row.deadline) <= now && !row.foundOn)
    return { path: 'deadline', message: backlogRefusals.pastDeadlineWithoutFoundOn };
  return null;
}

type Deps = Pick<HazardCommandDependencies, 'events' | 'clock' | 'workflow'>;

/** The last ladder step due by the import (the ledger shows it), if any. */
export function stepReachedBy(
  hazardId: string,
  deadline: string,
  importedAt: Date,
  deps: Pick<HazardCommandDependencies, 'policy' | 'calendar'>,
) {
  const round = { number: 1, deadline: new Date(deadline), startedAt: importedAt };
  return byDueTime(scheduleRound(hazardId, round, deps.policy, deps.calendar))
    .filter((step) => step.dueAt <= importedAt)
    .at(-1)?.step;
}

/** Starts an imported row's rectification with its ledger deadline (past ones too). */
export function startImportedRectification(
  deps: Deps & Pick<HazardCommandDependencies, 'policy' | 'calendar'>,
  request: {
    hazardId: string;
    responsible: string;
    measures: string;
    deadline: string;
    actor: Actor;
    idempotencyKey: string;
  },
) {
  const { hazardId, actor, idempotencyKey, ...command } = request;
  return giveRecordCommand({
    events: deps.events,
    stream: hazardStream(hazardId),
    projection: hazardProjection,
    now: () => deps.clock.now(),
    actor,
    idempotencyKey,
    command: { type: 'start_imported_rectification', ...command },
    decide: (state, now) => {
      const deadline = endOfCstDay(command.deadline).toISOString();
      const reachedStep = stepReachedBy(hazardId, deadline, now, deps);
      const event: HazardEvent = {
        type: 'rectification_started',
        data: {
          responsible: command.responsible,
          measures: command.measures,
          deadline,
          reachedBefore: now.toISOString(),
          ...(reachedStep ? { reachedStep } : {}),
        },
      };
      checkTransition(state, event);
      return event;
    },
    wake: () => deps.workflow.wake(hazardId),
  });
}

/** Closes an imported row that the ledger says was closed on `closedOn`. */
export function closeImported(
  deps: Deps,
  request: { hazardId: string; closedOn: string; actor: Actor; idempotencyKey: string },
) {
  const { hazardId, actor, idempotencyKey, closedOn } = request;
  return giveRecordCommand({
    events: deps.events,
    stream: hazardStream(hazardId),
    projection: hazardProjection,
    now: () => deps.clock.now(),
    actor,
    idempotencyKey,
    command: { type: 'close_imported', closedOn },
    decide: (state) => {
      const event: HazardEvent = { type: 'closed_before_import', data: { closedOn } };
      checkTransition(state, event);
      return event;
    },
    wake: () => deps.workflow.wake(hazardId),
  });
}
