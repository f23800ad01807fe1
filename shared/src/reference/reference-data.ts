import type { Jurisdiction, JurisdictionRecord, UpdateJurisdiction } from '../api/schemas.ts';
import jurisdictionsFile from '../data/jurisdictions.json' with { type: 'json' };
import taxonomyFile from '../data/taxonomy.json' with { type: 'json' };
import { SEED_DATA_VERSION } from '../version.ts';

export interface Industry {
  code: string;
  zh: string;
  en: string;
  highRisk: boolean;
  standards: { zh: string; ref: string; year: number }[];
}

/** The reference data a new deployment starts with: jurisdictions and the taxonomy. */
export interface SeedData {
  version: string;
  jurisdictions: Jurisdiction[];
  industries: Industry[];
}

export const seedData: SeedData = {
  version: SEED_DATA_VERSION,
  jurisdictions: jurisdictionsFile.jurisdictions as Jurisdiction[],
  industries: taxonomyFile.industries,
};

/** Port: reference data kept in the record store. */
export interface ReferenceData {
  /** The version of the seed loaded, or null when nothing was loaded yet. */
  seedVersion(): Promise<string | null>;
  listJurisdictions(): Promise<JurisdictionRecord[]>;
  /**
   * Applies an edit if the stored version is still `expectedVersion`. Returns the new record,
   * 'not_found', or the record as it is now when someone else changed it first.
   */
  updateJurisdiction(
    code: string,
    update: UpdateJurisdiction,
  ): Promise<JurisdictionRecord | 'not_found' | { conflict: JurisdictionRecord }>;
  /** Loads the seed once: items already present are left as they are. Returns items added. */
  seed(data: SeedData): Promise<{ added: number }>;
}
