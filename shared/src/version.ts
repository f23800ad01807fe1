/** Version of the seed data shape and content; bump when shared/src/data changes. */
export const SEED_DATA_VERSION = 'seed-2026-11-1';
