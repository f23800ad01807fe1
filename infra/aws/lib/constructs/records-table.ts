import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
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

  /** Read-only access to the table and its indexes, named one by one (no wildcard). */
  grantRead(grantee: IGrantable): Grant {
    return this.grant(grantee, readActions);
  }

  /** Reads plus single-item conditional writes. */
  grantReadWrite(grantee: IGrantable): Grant {
    return this.grant(grantee, writeActions);
  }

  /**
   * Item-level access (dynamodb:LeadingKeys): reads of items whose partition key matches
   * `read` or `write`, writes only where it matches `write`; the table only, no index. A
   * request without leading keys (a Scan) matches neither.
   */
  grantPartitions(
    grantee: IGrantable,
    access: { read: readonly string[]; write?: readonly string[] },
  ): void {
    const write = access.write ?? [];
    const statements: { actions: string[]; keys: readonly string[] }[] = [
      { actions: readActions, keys: [...access.read, ...write] },
      { actions: writeActions.filter((action) => !readActions.includes(action)), keys: write },
    ];
    for (const { actions, keys } of statements) {
      if (!keys.length) continue;
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions,
          resources: [this.table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...new Set(keys)] },
            // ForAllValues holds for a request without the key at all: require it.
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        }),
      );
    }
  }

  private grant(grantee: IGrantable, actions: string[]): Grant {
    const tableArn = this.table.tableArn;
    return Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [
        tableArn,
        ...tableDesign.globalSecondaryIndexes.map(
          (index) => `${tableArn}/index/${index.indexName}`,
        ),
      ],
    });
  }
}
