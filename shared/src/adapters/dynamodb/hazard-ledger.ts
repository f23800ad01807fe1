import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry } from '../../hazards/desk.ts';
import type { EscalationStep } from '../../hazards/escalation.ts';
import {
  enterpriseHazardsPartition,
  type HazardState,
  hazardLedgerPartition,
  type LedgerStatus,
} from '../../hazards/hazard.ts';
import type { HazardLedger } from '../../hazards/ledger.ts';
import { isFiltered } from '../../hazards/ledger-filter.ts';
import { filteredLedgerPage } from './filtered-ledger.ts';
import { queryIndexPage, readPartition, recordIdsByStatus } from './index-page.ts';
import { backfillLedgerIndexes, backfillRecordedBy } from './ledger-backfills.ts';

/** Hazards whose lifecycle still has a timer: open ones, and closed ones awaiting a look-back. */
const liveStatuses: LedgerStatus[] = ['reported', 'rectifying', 'verifying', 'closed_look_back'];

/** The ledger's index (gsi1: HAZARDS#<jurisdiction>#<status>): every live hazard's id. */
export function liveHazardIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  return recordIdsByStatus(
    documents,
    tableName,
    hazardLedgerPartition,
    jurisdictions,
    liveStatuses,
  );
}

/** The ledger from gsi1 and the enterprise file from gsi2: Queries, never a Scan. */
export class DynamoHazardLedger implements HazardLedger {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  /** Unfiltered: gsi1, major first, newest first. Filtered: the ledger's own indexes. */
  list(query: Parameters<HazardLedger['list']>[0]) {
    const { filter, ...rest } = query;
    if (isFiltered(filter)) {
      return filteredLedgerPage(this.documents, this.tableName, { ...rest, filter });
    }
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi1',
      partition: hazardLedgerPartition(query.jurisdiction, query.status),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as HazardState,
    });
  }

  ofEnterprise(query: Parameters<HazardLedger['ofEnterprise']>[0]) {
    return queryIndexPage(this.documents, {
      tableName: this.tableName,
      indexName: 'gsi2',
      partition: enterpriseHazardsPartition(query.jurisdiction, query.uscc),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      pick: (item) => item.state as HazardState,
    });
  }

  /**
   * The index item is the hazard's state item (gsi1 projects ALL), so grade, deadline,
   * pending extension, escalations and the leaders' acts are on it for every hazard,
   * whenever written: nothing to backfill. Who recorded it is on hazards written since
   * recordedBy was (ensureRecordedBy gives it to older ones).
   */
  async entries(query: Parameters<HazardLedger['entries']>[0]): Promise<LedgerEntry[]> {
    const items = await readPartition(this.documents, {
      tableName: this.tableName,
      partition: hazardLedgerPartition(query.jurisdiction, query.status),
      projection:
        '#state.#grade, #state.#round.#deadline, #state.#round.#number, ' +
        '#state.#pending.#requestedBy, #state.#escalations, #state.#hazardId, #state.#place, ' +
        '#state.#recordedBy, #state.#summonses, #state.#listed.#placedAt, ' +
        '#state.#exposure.#approvedAt, #state.#verifiedAt',
      names: {
        '#hazardId': 'hazardId',
        '#place': 'place',
        '#recordedBy': 'recordedBy',
        '#state': 'state',
        '#grade': 'grade',
        '#round': 'round',
        '#deadline': 'deadline',
        '#number': 'number',
        '#pending': 'pendingExtension',
        '#requestedBy': 'requestedBy',
        '#escalations': 'escalations',
        '#summonses': 'summonses',
        '#listed': 'listedSupervision',
        '#placedAt': 'placedAt',
        '#exposure': 'exposure',
        '#approvedAt': 'approvedAt',
        '#verifiedAt': 'verifiedAt',
      },
    });
    return items.map((item) => ledgerEntryOf(item.state as ProjectedState));
  }

  private where() {
    return { documents: this.documents, tableName: this.tableName };
  }

  /**
   * Gives hazards written before the filtered ledger's indexes existed their index
   * attributes, once (ledger-backfills.ts). The count done.
   */
  async ensureIndexed(jurisdictions: readonly string[]): Promise<number> {
    return (await backfillLedgerIndexes({ ...this.where(), jurisdictions })).updated;
  }

  /**
   * Gives hazards recorded before the state kept recordedBy their recorder, once
   * (ledger-backfills.ts): the desk's "my cases" reads it from gsi1. The count done.
   */
  async ensureRecordedBy(jurisdictions: readonly string[]): Promise<number> {
    return (await backfillRecordedBy({ ...this.where(), jurisdictions })).updated;
  }
}

/** What entries() projects of a hazard's state. */
interface ProjectedState {
  hazardId?: string;
  place?: string;
  recordedBy?: string;
  grade: LedgerEntry['grade'];
  round?: { deadline?: string; number?: number };
  pendingExtension?: unknown;
  escalations?: { step: EscalationStep; round: number; at: string; withdrawn?: boolean }[];
  summonses?: { at: string }[];
  listedSupervision?: unknown;
  exposure?: unknown;
  verifiedAt?: string;
}

function ledgerEntryOf(state: ProjectedState): LedgerEntry {
  const steps = (state.escalations ?? [])
    .filter((step) => !step.withdrawn)
    .map(({ step, round, at }) => ({ step, round, at }));
  const summonsHeldAt = (state.summonses ?? []).map((summons) => summons.at);
  return {
    ...(state.hazardId ? { hazardId: state.hazardId } : {}),
    ...(state.place ? { place: state.place } : {}),
    ...(state.recordedBy ? { recordedBy: state.recordedBy } : {}),
    grade: state.grade,
    ...(state.round?.deadline ? { deadline: state.round.deadline } : {}),
    ...(state.round?.number ? { round: state.round.number } : {}),
    ...(state.pendingExtension ? { pendingExtension: true } : {}),
    ...(steps.length ? { steps } : {}),
    ...(summonsHeldAt.length ? { summonsHeldAt } : {}),
    ...(state.listedSupervision ? { listed: true } : {}),
    ...(state.exposure ? { exposed: true } : {}),
    ...(state.verifiedAt ? { verified: true } : {}),
  };
}
