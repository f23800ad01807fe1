import { ledgerIndexes } from '@qingling/shared/hazards/ledger-export-routes.ts';
import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { exportHazardLedgerEntry } from '../paths.ts';
import type { EvidenceBucket } from './evidence-bucket.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';

export interface LedgerExportsProps {
  table: RecordsTable;
  evidence: EvidenceBucket;
  codeVersion: string;
  logRetention: RetentionDays;
}

/** Export jobs' partitions: the asking route writes them, the worker ends them. */
export const ledgerExportPartitions = ['LEDGEREXPORT#*'];

/**
 * The ledger export worker (issue 15): the export route records a job and invokes this
 * function asynchronously (InvocationType Event), so that a ledger of 100,000 rows, which
 * takes longer to write as .xlsx than API Gateway waits (30 s), is never bound to one
 * request. It reads the ledger through its indexes, writes the file under exports/ and
 * ends the job; it is not retried (a job that dies without a word reads as failed once
 * past the worker's time, and the office asks again). 1024 MB: the .xlsx is CPU bound, and
 * Lambda gives CPU in proportion to memory (bench/ledger-export.ts).
 */
export class LedgerExports extends Construct {
  readonly worker: NodeFunction;
  private readonly table: RecordsTable;

  constructor(scope: Construct, id: string, props: LedgerExportsProps) {
    super(scope, id);
    this.table = props.table;
    this.worker = new NodeFunction(this, 'Worker', {
      entry: exportHazardLedgerEntry,
      description: 'Qingling: writes a ledger export file (asked for by the export route)',
      logRetention: props.logRetention,
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        EVIDENCE_BUCKET: props.evidence.bucket.bucketName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
      },
    });
    // The ledger's rows come from its indexes (and the jurisdictions' names from the
    // reference data); writes only to the jobs' partitions.
    props.table.grantPartitions(this.worker.function, {
      read: ['JURISDICTION'],
      write: ledgerExportPartitions,
      indexes: ledgerIndexes,
    });
    props.evidence.grantExportWrites(this.worker.role);
    this.worker.alias.configureAsyncInvoke({ retryAttempts: 0 });
  }

  /** The route that asks: write jobs and invoke the worker's alias, nothing more. */
  grantStart(role: IRole): void {
    this.table.grantPartitions(role, { read: [], write: ledgerExportPartitions });
    this.worker.alias.grantInvoke(role);
    // The role's policy and its function (the role's scope) name the alias: they wait for it.
    this.worker.invokedBy(role.node.scope ?? role);
  }
}
