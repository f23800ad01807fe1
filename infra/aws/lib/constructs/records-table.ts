import type { TableAccess } from '@qingling/shared/api/routes.ts';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableDesign } from '../../../table-design.ts';

/**
 * What a request path may do to the table. There is no Scan (no request path scans) and
 * no DeleteItem (the record is append-only; retention is a scheduled sweep of its own).
 * Bookkeeping items expire by Time to Live (tableDesign.timeToLiveAttribute), which
 * DynamoDB runs itself: it needs no grant.
 */
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const writeActions = [
  ...readActions,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

/** The single table, built from infra/table-design.ts like the embedded cloud's. */
export class RecordsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string) => ({ name, type: AttributeType.STRING });

    this.table = new Table(this, tableDesign.logicalName, {
      partitionKey: key(tableDesign.partitionKey),
      sortKey: key(tableDesign.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
    });
    for (const index of tableDesign.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * Item-level access (dynamodb:LeadingKeys): reads of items whose partition key matches
   * `read` or `write`, writes only where it matches `write`, and Query of each index in
   * `indexes` where the index's own partition key matches its patterns (on an index ARN,
   * LeadingKeys is that index's partition key). Nothing else: no index it does not name,
   * and a request without leading keys (a Scan) matches none.
   */
  grantPartitions(grantee: IGrantable, access: TableAccess): void {
    const tableArn = this.table.tableArn;
    const write = access.write ?? [];
    const statements: { actions: string[]; resource: string; keys: readonly string[] }[] = [
      { actions: readActions, resource: tableArn, keys: [...access.read, ...write] },
      {
        actions: writeActions.filter((action) => !readActions.includes(action)),
        resource: tableArn,
        keys: write,
      },
      ...Object.entries(access.indexes ?? {}).map(([index, keys]) => {
        if (!tableDesign.globalSecondaryIndexes.some(({ indexName }) => indexName === index)) {
          throw new Error(`The table has no index ${index}`);
        }
        return { actions: ['dynamodb:Query'], resource: `${tableArn}/index/${index}`, keys };
      }),
    ];
    for (const { actions, resource, keys } of statements) {
      if (!keys?.length) continue;
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions,
          resources: [resource],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...new Set(keys)] },
            // ForAllValues holds for a request without the key at all: require it.
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        }),
      );
    }
  }
}
