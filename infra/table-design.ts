import { expiryAttribute } from '@qingling/shared/adapters/dynamodb/expiry.ts';

/**
 * The one definition of Qingling's DynamoDB table. The CDK stack builds the table from it,
 * and the embedded cloud creates the same table in dynalite from it, so the two can't drift.
 *
 * Single-table design: every item has a partition key `pk` and sort key `sk`; secondary
 * indexes use generic attribute names so new access patterns need no new attributes.
 */
export const tableDesign = {
  logicalName: 'Records',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    // Lists by an owner and a time or status order, e.g. a jurisdiction's inbox.
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // A second listing, e.g. by enterprise or by assigned officer.
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // The filtered hazard ledger (shared/src/hazards/ledger-filter.ts): partitions by
    // jurisdiction, status, grade and channel (gsi3/gsi5), and industry (gsi4/gsi6), sorted
    // by found-on date (gsi3/gsi4) or deadline (gsi5/gsi6); one enterprise's (gsi7); one
    // village's or community's (村/社区, gsi8).
    // CloudFormation adds one index per update of an existing table: deploy them one by one.
    // On tip state items gsi3 is the retention sweep's instead (tips/retention.ts): tips
    // still holding sealed data whose reward matter ended, SEALED#<jurisdiction>, by when.
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    { indexName: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
    { indexName: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk' },
    { indexName: 'gsi8', partitionKey: 'gsi8pk', sortKey: 'gsi8sk' },
  ],
  /**
   * DynamoDB Time to Live: an item whose `deleteAfter` is a Number of epoch seconds in the
   * past is deleted by DynamoDB (typically within days; no IAM grant, no write capacity).
   * Only bookkeeping carries it, each writer with its documented lifetime, from the time
   * it is given (shared/src/adapters/dynamodb/expiry.ts):
   * - `LOOKUP_FAILURES`, sk `<minute>`: receipt look-up counters, 5 minutes past their
   *   minute; sk `proof#<id>`: spent puzzles, an hour past the puzzle's expiry
   *   (guessing-guard.ts);
   * - `DELIVERY#<key>`: the delivery ledger, 15 days past its last write, longer than SQS
   *   keeps a message (delivery-ledger.ts, ports/delivery-ledger.ts);
   * - `LEDGEREXPORT#<jurisdiction>`: ledger export jobs, 2 days after asked (their file
   *   under exports/ expires after a day; ledger-exports.ts).
   * Records never carry it: event logs, STATE, WAIT, policies, chain heads, enterprises,
   * reference data.
   *
   * The embedded cloud's dynalite has no Time to Live (no UpdateTimeToLive; CreateTable
   * takes none either, so createTableInput leaves it out): there these items stay, and
   * nothing sweeps them (a sweep would need a Scan, or an index, for `DELIVERY#` keys).
   * They stay bounded by what made them, never by the clock: a counter item only for a
   * minute with a failed look-up, a puzzle item per look-up that spent one (both real
   * requests), a delivery item per notification, of which the record itself keeps the
   * event. A few hundred bytes each, a small part of the table; `npm run reset` clears them.
   */
  timeToLiveAttribute: expiryAttribute,
} as const;

export type TableDesign = typeof tableDesign;

/** The CreateTable input (AWS API shape) for the design: used by the embedded cloud. */
export function createTableInput(tableName: string) {
  const keyAttributes = new Set<string>([tableDesign.partitionKey, tableDesign.sortKey]);
  for (const index of tableDesign.globalSecondaryIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyAttributes].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: tableDesign.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
}
