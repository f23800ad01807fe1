import * as z from 'zod/mini';
import { code, idempotencyKey, maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import industryDepartments from '../data/industry-departments.json' with { type: 'json' };
import { usccSchema } from '../enterprises/enterprise.ts';
import { type DeskCardKey, deskCardKeys, myCaseReasonKeys } from './desk-card-keys.ts';
import { maxPhotosPerStep } from './evidence.ts';
import { namesOneParty, namesOnePartyMessage, siteSchema } from './site.ts';

/**
 * The hazard API's shapes, shared by the office console (forms) and the handlers
 * (validation), so that the browser and the server refuse the same input in the same words.
 */
export const hazardStatuses = ['reported', 'rectifying', 'verifying', 'closed'] as const;
export const ledgerStatuses = [...hazardStatuses, 'closed_look_back'] as const;

export const hazardIdSchema = withMeta(z.string().check(z.regex(/^[a-z2-7]{26}$/)), {
  description: 'Hazard id 隐患编号',
  example: 'bcdefghijklmnopqrstuvwxyza',
});
export const hazardIdParameters = z.object({ hazardId: hazardIdSchema });

const cstDateSchema = z.iso.date(said('日期格式应为 YYYY-MM-DD。', 'The date must be YYYY-MM-DD.'));

export const deadlineInputSchema = z.union([
  z.strictObject({ date: cstDateSchema }),
  z.strictObject({
    workingDays: z
      .number()
      .check(
        z.int(),
        z.gte(1, said('至少 1 个工作日。', 'At least 1 working day.')),
        z.lte(365, said('最多 365 个工作日。', 'At most 365 working days.')),
      ),
  }),
]);

const part = text({ min: 2, max: 1000, multiline: true });
export const rectificationPlanSchema = withMeta(
  z.strictObject({
    goalAndTasks: part,
    methodsAndMeasures: part,
    fundsAndMaterials: part,
    responsibleBodyAndPeople: part,
    deadlineAndRequirements: part,
    safetyAndEmergencyMeasures: part,
  }),
  { id: 'RectificationPlan', description: '治理方案（六项内容）' },
);

const note = text({ min: 1, max: 2000, multiline: true });
/** Photo keys from upload forms (evidence.ts): the server reads each one's hash. */
export const evidenceKeys = z
  .array(z.string().check(z.regex(/^evidence\/[a-z2-7]{26}\/[a-z0-9-]{1,40}$/)))
  .check(z.maxLength(maxPhotosPerStep));

/** Leaders' decisions (oversight.ts): a document number is what the office's letter bears. */
const documentNumber = text({ min: 2, max: 60, normalization: 'NFKC' });
const oversightCommandSchemas = [
  z.strictObject({
    type: z.literal('record_summons'),
    attendees: text({ min: 2, max: 500, multiline: true }),
    agreed: text({ min: 2, max: 2000, multiline: true }),
    nextDate: cstDateSchema,
  }),
  z.strictObject({ type: z.literal('place_listed_supervision'), documentNumber, reason: note }),
  z.strictObject({ type: z.literal('lift_listed_supervision'), documentNumber, reason: note }),
  z.strictObject({ type: z.literal('approve_exposure'), documentNumber, reason: note }),
  z.strictObject({ type: z.literal('withdraw_exposure'), reason: note }),
] as const;

export const hazardCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('start_rectification'),
    responsible: text({ min: 1, max: 100 }),
    measures: text({ min: 2, max: 2000, multiline: true }),
    deadline: deadlineInputSchema,
    plan: z.optional(rectificationPlanSchema),
  }),
  z.strictObject({
    type: z.literal('request_extension'),
    deadline: deadlineInputSchema,
    reason: text({ min: 2, max: 1000, multiline: true }),
  }),
  z.strictObject({ type: z.literal('approve_extension') }),
  z.strictObject({ type: z.literal('refuse_extension'), reason: note }),
  z.strictObject({ type: z.literal('submit_evidence'), note, photoKeys: evidenceKeys }),
  z.strictObject({
    type: z.literal('pass_verification'),
    note,
    onSite: z.boolean(),
    photoKeys: z.optional(evidenceKeys),
  }),
  z.strictObject({
    type: z.literal('fail_verification'),
    reasons: note,
    newDeadline: deadlineInputSchema,
    photoKeys: z.optional(evidenceKeys),
  }),
  z.strictObject({ type: z.literal('close'), note }),
  z.strictObject({ type: z.literal('reopen'), reason: note, newDeadline: deadlineInputSchema }),
  z.strictObject({ type: z.literal('record_look_back'), note, holding: z.boolean() }),
  ...oversightCommandSchemas,
]);

export const giveHazardCommandSchema = withMeta(
  z.strictObject({
    idempotencyKey,
    /** The revision the officer saw: if someone acted since, the answer is 409. */
    expectedRevision: z.number().check(z.int(), z.gte(1), z.lte(maxRecordVersion)),
    command: hazardCommandSchema,
  }),
  { id: 'HazardCommandRequest' },
);

/** Where the hazard was found (WGS84), when the officer chose to record it. */
export const positionSchema = z.strictObject({
  latitude: z.number().check(z.gte(-90), z.lte(90)),
  longitude: z.number().check(z.gte(-180), z.lte(180)),
});

const hazardFactsFields = {
  industry: code('fire'),
  enterprise: usccSchema,
  place: text({ min: 2, max: 200 }),
  grade: z.enum(['general', 'major']),
  standard: z.optional(
    z.strictObject({ ref: text({ min: 2, max: 200 }), clause: text({ min: 1, max: 50 }) }),
  ),
  description: text({ min: 5, max: 2000, multiline: true }),
  /** When the hazard was found (CST date), if not the day it is entered; never after today. */
  foundOn: z.optional(cstDateSchema),
  /** The village or community (村/社区): one the jurisdiction lists (the handlers check). */
  unit: z.optional(text({ min: 1, max: 40 })),
};

/** Refused by the handlers, which know today: a hazard cannot be found in the future. */
export const foundOnAfterToday = {
  zh: '发现日期不能晚于今天。',
  en: 'The date the hazard was found cannot be after today.',
};

const majorCitesStandard = (value: { grade: string; standard?: unknown }) =>
  value.grade === 'general' || value.standard !== undefined;
const majorCitesStandardMessage = {
  ...said(
    '重大事故隐患须引用判定标准及条款。',
    'A major hazard must cite its determination standard and clause.',
  ),
  path: ['standard'],
};

export const recordHazardSchema = withMeta(
  z
    .strictObject({
      idempotencyKey,
      jurisdiction: code('cq-gecheng'),
      source: z.enum(['inspection', 'self_report', 'tip']),
      tipId: z.optional(z.string().check(z.regex(/^[a-z2-7]{26}$/))),
      ...hazardFactsFields,
      // A registered enterprise by its code, or a place without one (site.ts): one of them.
      enterprise: z.optional(usccSchema),
      site: z.optional(siteSchema),
      /** Photos uploaded with forms for this request (requestHazardPhotoUploads). */
      photoKeys: z.optional(evidenceKeys),
      position: z.optional(positionSchema),
    })
    .check(
      z.refine(namesOneParty, namesOnePartyMessage),
      z.refine(majorCitesStandard, majorCitesStandardMessage),
      z.refine((value) => value.source !== 'tip' || value.tipId !== undefined, {
        ...said('来自举报的隐患须关联线索编号。', 'A hazard from a tip must name the tip.'),
        path: ['tipId'],
      }),
    ),
  { id: 'RecordHazardRequest' },
);

/** One spreadsheet row, as the browser posts it: its own identity makes re-imports no-ops. */
export const importRowSchema = z
  .strictObject({
    rowId: text({ min: 1, max: 64, normalization: 'NFKC' }),
    ...hazardFactsFields,
    responsible: z.optional(text({ min: 1, max: 100 })),
    measures: z.optional(text({ min: 2, max: 2000, multiline: true })),
    deadline: z.optional(cstDateSchema),
    /** A paper ledger's closed rows (已销号) import closed, with the day (backlog.ts). */
    status: z.optional(z.enum(['open', 'closed'])),
    closedOn: z.optional(cstDateSchema),
  })
  .check(z.refine(majorCitesStandard, majorCitesStandardMessage));

export const maxImportRowsPerRequest = 200;

export const importHazardsSchema = withMeta(
  z.strictObject({
    jurisdiction: code('cq-gecheng'),
    source: z.enum(['self_report', 'inspection']),
    // Rows are checked one by one in the handler: a bad row is reported, not fatal.
    rows: z.array(z.unknown()).check(z.minLength(1), z.maxLength(maxImportRowsPerRequest)),
  }),
  { id: 'ImportHazardsRequest' },
);

const issueSchema = z.object({
  path: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});

export const importResultSchema = withMeta(
  z.object({
    results: z.array(
      z.object({
        index: z.number().check(z.int()),
        rowId: z.optional(z.string()),
        outcome: z.enum(['stored', 'already_stored', 'refused']),
        hazardId: z.optional(z.string()),
        issues: z.optional(z.array(issueSchema)),
      }),
    ),
  }),
  { id: 'ImportHazardsResult' },
);

const optionalDate = z.optional(cstDateSchema);

/**
 * The ledger's filters (台账筛选), one object that the list and its export both extend, so
 * that an export is exactly what the filtered page shows (ledger-filter.ts answers each from
 * an index). `unit`: the supervising department (管行业必须管安全), the industries it
 * answers for. `enterprise`: a credit code (a place without one has no key to list by).
 */
export const hazardLedgerFilterSchema = z.object({
  /** `true`: only those whose deadline has passed (the statistics' overdue counts link here). */
  overdue: z.optional(z.enum(['true'])),
  grade: z.optional(z.enum(['major', 'general'])),
  source: z.optional(z.enum(['inspection', 'self_report', 'tip'])),
  industry: z.optional(code('fire')),
  unit: z.optional(z.enum(Object.keys(industryDepartments.departments) as [string, ...string[]])),
  enterprise: z.optional(usccSchema),
  /** The village or community (村/社区) named on the hazard (`unit` is the department's). */
  community: z.optional(text({ min: 1, max: 40 })),
  /** Found on or after, on or before (CST dates, inclusive). */
  foundFrom: optionalDate,
  foundTo: optionalDate,
  /** The order: by found-on date or deadline (default: newest found, or most overdue). */
  sort: z.optional(z.enum(['foundOn', 'deadline'])),
  order: z.optional(z.enum(['asc', 'desc'])),
});
export type HazardLedgerFilterQuery = z.output<typeof hazardLedgerFilterSchema>;

export const hazardListQuerySchema = z.extend(hazardLedgerFilterSchema, {
  jurisdiction: code('cq-gecheng'),
  status: z._default(z.enum(ledgerStatuses), 'reported'),
  cursor: z.optional(z.string().check(z.maxLength(512))),
});

/** The ledger's export: the list's filters (every status when none is given) and a format. */
export const hazardLedgerExportQuerySchema = z.extend(hazardLedgerFilterSchema, {
  jurisdiction: code('cq-gecheng'),
  status: z.optional(z.enum(ledgerStatuses)),
  /** As the list's: the export holds what the page shows (the shared filter object's, once merged). */
  overdue: z.optional(z.enum(['true'])),
  format: z._default(z.enum(['json', 'csv', 'xlsx']), 'json'),
});

export const hazardSummarySchema = z.object({
  hazardId: z.string(),
  status: z.enum(hazardStatuses),
  source: z.enum(['inspection', 'self_report', 'tip']),
  grade: z.enum(['general', 'major']),
  jurisdiction: z.string(),
  unit: withMeta(z.optional(z.string()), {
    description: 'The village or community (村/社区) of the jurisdiction, when one was named.',
  }),
  industry: z.string(),
  /** The registered enterprise's credit code; absent when the hazard names a `site`. */
  enterprise: z.optional(z.string()),
  site: z.optional(siteSchema),
  place: z.string(),
  excerpt: z.string(),
  reportedAt: z.string(),
  foundOn: withMeta(z.string(), {
    description: 'When the hazard was found (CST date); the day it was entered if not given.',
  }),
  deadline: z.optional(z.string()),
  round: z.optional(z.number().check(z.int())),
  responsible: z.optional(z.string()),
  pendingExtension: z.boolean(),
  escalations: z.number().check(z.int()),
  stepReached: withMeta(
    z.optional(z.enum(['reminder', 'notice_letter', 'circular', 'summons', 'public_exposure'])),
    { description: 'The last escalation step fired (已升级至); absent before the first.' },
  ),
});

export const hazardListSchema = withMeta(
  z.object({ hazards: z.array(hazardSummarySchema), nextCursor: z.optional(z.string()) }),
  { id: 'HazardList' },
);

/** What leaders decided on the hazard (oversight.ts), on its page. */
const oversightDetailFields = {
  summonses: z.optional(
    z.array(
      z.object({
        at: z.string(),
        by: z.string(),
        attendees: z.string(),
        agreed: z.string(),
        nextDate: z.string(),
      }),
    ),
  ),
  listedSupervision: z.optional(
    z.object({
      documentNumber: z.string(),
      reason: z.string(),
      placedAt: z.string(),
      by: z.string(),
    }),
  ),
  exposure: z.optional(
    z.object({
      documentNumber: z.string(),
      reason: z.string(),
      approvedAt: z.string(),
      enterpriseName: z.optional(z.string()),
    }),
  ),
};

const actorSchema = z.object({
  kind: z.string(),
  id: z.string(),
  name: z.optional(z.string()),
});

export const hazardDetailSchema = withMeta(
  z.object({
    hazard: z.extend(hazardSummarySchema, {
      description: z.string(),
      standard: z.optional(z.object({ ref: z.string(), clause: z.string() })),
      tipId: z.optional(z.string()),
      responsible: z.optional(z.string()),
      measures: z.optional(z.string()),
      plan: z.optional(rectificationPlanSchema),
      pendingExtensionDetail: z.optional(
        z.object({ deadline: z.string(), reason: z.string(), requestedBy: z.string() }),
      ),
      verifiedAt: z.optional(z.string()),
      closedAt: z.optional(z.string()),
      lookBack: z.optional(
        z.object({ dueAt: z.string(), status: z.enum(['scheduled', 'due', 'done']) }),
      ),
      enterpriseTold: z.boolean(),
      linkTexted: z.optional(
        withMeta(z.object({ round: z.number(), mobileOnFile: z.boolean(), at: z.string() }), {
          description:
            'The round whose enterprise link went by SMS last; mobileOnFile false: no mobile was on file, nothing was sent.',
        }),
      ),
      ...oversightDetailFields,
      supervisingDepartment: withMeta(
        z.object({ code: z.string(), zh: z.string(), en: z.string() }),
        { description: '管行业必须管安全: the department with duty for the industry.' },
      ),
      closure: withMeta(
        z.object({
          signOffRole: z.enum(['officer', 'department_head']),
          secondPerson: z.boolean(),
          verifiedBy: z.optional(z.object({ id: z.string(), name: z.optional(z.string()) })),
          awaitingSignOff: z.boolean(),
        }),
        {
          description:
            '销号: who signs off (a major hazard: a second person in signOffRole, never verifiedBy).',
        },
      ),
    }),
    revision: z.number().check(z.int()),
    timeline: z.array(
      z.object({
        sequence: z.number().check(z.int()),
        at: z.string(),
        type: z.string(),
        actor: actorSchema,
        data: z.unknown(),
        hash: z.string(),
        /** The workflow's own records just before this entry, not listed (the chain has them). */
        systemRecordsBefore: z.optional(z.number().check(z.int(), z.gte(1))),
      }),
    ),
    chain: z.object({
      valid: z.boolean(),
      head: z.optional(z.string()),
      brokenAt: z.optional(z.number()),
      reason: z.optional(z.string()),
    }),
    /** Short-lived read URLs of the timeline's photos, by key. */
    photoUrls: z.optional(z.record(z.string(), z.string())),
    /** The same photos' thumbnails (192 px squares), by the photo's key. */
    thumbnailUrls: z.optional(z.record(z.string(), z.string())),
  }),
  { id: 'HazardDetail' },
);

export const hazardUploadFormSchema = withMeta(
  z.object({
    photoKey: z.string(),
    url: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
  {
    id: 'HazardUploadForm',
    description:
      'POST as multipart/form-data: these fields, then "file"; then name photoKey in the command.',
  },
);

export const hazardConflictSchema = z.looseObject({
  code: z.literal('conflict'),
  message: z.object({ zh: z.string(), en: z.string() }),
});

export const enterpriseLinkSchema = withMeta(
  z.object({ token: z.string(), expiresAt: z.string() }),
  { id: 'EnterpriseLink' },
);

export const enterpriseLinkRequestSchema = z.strictObject({
  validDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(180)), 60),
});

export type RecordHazardRequest = z.output<typeof recordHazardSchema>;
export type HazardCommandRequest = z.output<typeof giveHazardCommandSchema>;

export const deskQuerySchema = z.object({
  jurisdiction: code('cq-gecheng'),
  /** A card of the desk: the answer lists the hazards its count is made of. */
  card: z.optional(z.enum(deskCardKeys)),
});

/** A hazard as the desk lists it (behind a card, or among the person's cases). */
const deskHazardFields = {
  hazardId: z.string(),
  place: z.string(),
  grade: z.enum(['general', 'major']),
  status: z.enum(ledgerStatuses),
  deadline: z.optional(z.string()),
  standing: z.optional(z.enum(['overdue', 'due_soon', 'later'])),
};

const countOf = z.number().check(z.int(), z.nonnegative());

export const deskSchema = withMeta(
  z.object({
    jurisdiction: z.string(),
    asOf: z.string(),
    hazards: z.object({
      reported: countOf,
      rectifying: countOf,
      verifying: countOf,
      closed_look_back: countOf,
      closed: countOf,
    }),
    // The cards (desk.ts deskCards): each the number of hazards `card=<key>` lists.
    ...(Object.fromEntries(deskCardKeys.map((key) => [key, countOf])) as Record<
      DeskCardKey,
      typeof countOf
    >),
    tips: z.object({
      received: countOf,
      accepted: countOf,
      investigating: countOf,
      substantiated: countOf,
    }),
    myCases: z.array(
      z.object({
        ...deskHazardFields,
        why: z.array(z.enum(myCaseReasonKeys)),
      }),
    ),
    card: z.optional(
      z.object({ key: z.enum(deskCardKeys), hazards: z.array(z.object(deskHazardFields)) }),
    ),
  }),
  {
    id: 'Desk',
    description:
      "A jurisdiction's desk: counts by status and per card (desk.ts deskCards); with " +
      "`card`, the hazards it counts; my cases: the person's by their roles, with why.",
  },
);
