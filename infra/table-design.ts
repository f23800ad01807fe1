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
  ],
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
