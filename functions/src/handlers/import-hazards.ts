import { validate } from '@qingling/shared/api/validation.ts';
import { cstDate } from '@qingling/shared/calendar/calendar.ts';
import { IdempotencyKeyReused, requestDigest } from '@qingling/shared/event-log/idempotency.ts';
import { withRecordJustRead } from '@qingling/shared/event-log/read-once.ts';
import {
  backlogRefusal,
  closeImported,
  startImportedRectification,
} from '@qingling/shared/hazards/backlog.ts';
import { recordHazard } from '@qingling/shared/hazards/commands.ts';
import {
  hazardProjection,
  hazardStream,
  LifecycleViolation,
} from '@qingling/shared/hazards/hazard.ts';
import { hazardIdFor } from '@qingling/shared/hazards/ids.ts';
import { foundOnAfterToday, importRowSchema } from '@qingling/shared/hazards/schemas.ts';
import * as dependencies from '../dependencies.ts';
import { hazardCommandDependenciesIn } from '../hazards/hazard-access.ts';
import { apiHandler } from '../http/hazard-api.ts';
import { requireKnownJurisdiction, unitIssue } from '../http/known-jurisdiction.ts';
import { personOf } from '../http/principal-actor.ts';

type RowResult = {
  index: number;
  rowId?: string;
  outcome: 'stored' | 'already_stored' | 'refused';
  hazardId?: string;
  issues?: { path: string; message: { zh: string; en: string } }[];
};

const rowNumberReused = {
  zh: '该企业的这个行号已导入过不同的内容，本行未导入；请改用新的行号，或打开已导入的那条隐患。',
  en: 'This row number was already imported for this enterprise with different content; this row was not imported. Use a new row number, or open the hazard already imported.',
};

/** Rows stored at once: enough to keep the table busy, few enough for a small machine. */
const parallelRows = 8;

/**
 * POST /api/office/hazard-imports: spreadsheet rows parsed in the browser, posted in
 * chunks. Each row is checked on its own: a bad row is reported with its reasons and
 * stores nothing; a good one is stored under an id drawn from its enterprise and its own
 * row number, so importing the same sheet again stores nothing new. A row with its
 * responsible person, measures and deadline starts rectification too.
 */
export const handler = apiHandler('importHazards', async ({ body, principal }) => {
  await requireKnownJurisdiction(body.jurisdiction);
  const deps = await hazardCommandDependenciesIn(body.jurisdiction);
  const actor = personOf(principal);
  const place = (await dependencies.jurisdictions()).find(
    (each) => each.code === body.jurisdiction,
  );
  const importRow = async (row: unknown, index: number): Promise<RowResult> => {
    const parsed = validate(importRowSchema, row);
    const rowId =
      typeof (row as { rowId?: unknown })?.rowId === 'string'
        ? (row as { rowId: string }).rowId
        : undefined;
    if (!parsed.success)
      return { index, ...(rowId ? { rowId } : {}), outcome: 'refused', issues: parsed.issues };
    const { rowId: id, responsible, measures, deadline, status, closedOn, ...facts } = parsed.data;
    if (facts.foundOn && facts.foundOn > cstDate(deps.clock.now())) {
      return {
        index,
        rowId: id,
        outcome: 'refused',
        issues: [{ path: 'foundOn', message: foundOnAfterToday }],
      };
    }
    // The 村/社区 column names one of the jurisdiction's units, or the row is refused.
    const unknownUnit = unitIssue(place, facts.unit);
    if (unknownUnit) return { index, rowId: id, outcome: 'refused', issues: [unknownUnit] };
    // Dates that cannot stand together are refused before anything is stored.
    const refusal = backlogRefusal(
      {
        ...(facts.foundOn ? { foundOn: facts.foundOn } : {}),
        ...(deadline ? { deadline } : {}),
        ...(status ? { status } : {}),
        ...(closedOn ? { closedOn } : {}),
      },
      deps.clock.now(),
    );
    if (refusal) return { index, rowId: id, outcome: 'refused', issues: [refusal] };
    try {
      const closed = status === 'closed' && closedOn ? closedOn : null;
      // A past deadline is the ledger's: the ladder counts its past steps as reached.
      const rectification =
        !closed && responsible && measures && deadline && facts.grade === 'general'
          ? { responsible, measures, deadline }
          : null;
      const hazardId = await hazardIdFor(
        body.jurisdiction,
        `import:${body.source}:${facts.enterprise}:${id}`,
      );
      const hazardFacts = {
        hazardId,
        jurisdiction: body.jurisdiction,
        source: body.source,
        ...facts,
      };
      // The row's number is its key: the same number with other content is refused, not
      // taken for the row already stored. Digested: what the log records of the row, no more.
      // The lifecycle is woken once the row is whole (closed or rectifying), not before:
      // a closed row must not start a ladder, nor tell anyone, on its way in.
      const quiet = { ...deps, workflow: { wake: async () => {} } };
      const followed = Boolean(closed || rectification);
      const recorded = await recordHazard(followed ? quiet : deps, {
        facts: hazardFacts,
        actor,
        requestDigest: await requestDigest({
          facts: hazardFacts,
          // As digested before backlogs: a sheet imported then imports the same now.
          rectification: rectification && { ...rectification, deadline: { date: deadline } },
          ...(closed ? { closedOn: closed } : {}),
        }),
        // The row's second event follows at once and writes the state for both: one state
        // write, one count and one read fewer a row (DynamoDB calls for a rectifying row
        // and its lifecycle: 21 -> 16; a closed row: 18 -> 13).
        stateLater: followed,
      });
      // Decided on the record as just written (not read again), unless stored before.
      const next = recorded.duplicate
        ? deps
        : { ...deps, events: withRecordJustRead(deps.events, recorded.snapshot) };
      try {
        if (closed) {
          await closeImported(next, {
            hazardId,
            closedOn: closed,
            actor,
            idempotencyKey: `import:closed:${hazardId}`,
          });
        } else if (rectification) {
          await startImportedRectification(next, {
            hazardId,
            ...rectification,
            actor,
            idempotencyKey: `import:rectify:${hazardId}`,
          });
        }
      } catch (error) {
        // The record stays as recorded: its state item, left for the second event, is
        // written from the log now (a load by a writer repairs it). Should that fail too,
        // the reconciler does it; the error told is the step's own.
        if (followed) {
          await deps.events.load(hazardStream(hazardId), hazardProjection).catch(() => null);
        }
        throw error;
      }
      return {
        index,
        rowId: id,
        outcome: recorded.duplicate ? 'already_stored' : 'stored',
        hazardId,
      };
    } catch (error) {
      if (error instanceof IdempotencyKeyReused) {
        return {
          index,
          rowId: id,
          outcome: 'refused',
          issues: [{ path: 'rowId', message: rowNumberReused }],
        };
      }
      if (!(error instanceof LifecycleViolation)) throw error;
      return {
        index,
        rowId: id,
        outcome: 'refused',
        issues: [{ path: 'deadline', message: error.text }],
      };
    }
  };
  const results: RowResult[] = [];
  for (let start = 0; start < body.rows.length; start += parallelRows) {
    const chunk = body.rows.slice(start, start + parallelRows);
    results.push(
      ...(await Promise.all(chunk.map((row, offset) => importRow(row, start + offset)))),
    );
  }
  return { results };
});
