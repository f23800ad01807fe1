import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LedgerExportJob } from '../../hazards/ledger-export-job.ts';
import type { LedgerExportStore } from '../../ports/ledger-exports.ts';
import { epochSeconds, expiryAttribute } from './expiry.ts';

/** The partition of a jurisdiction's export jobs (the routes' `table` declarations name it). */
export const ledgerExportPartition = (jurisdiction: string) => `LEDGEREXPORT#${jurisdiction}`;

/** Retry keys' items: `~` sorts after the export ids' digits and lowercase letters. */
const retryKeyPrefix = '~KEY#';

/** Kept longer than their file (exports/ expire after a day), then DynamoDB deletes them. */
const keptMs = 2 * 86_400_000;

/**
 * Ledger export jobs as table items, pk `LEDGEREXPORT#<jurisdiction>`, sk the export id
 * (which sorts by time): the newest are a Query read backwards, the base table only.
 */
export class DynamoLedgerExports implements LedgerExportStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.documents = documents;
    this.tableName = tableName;
  }

  private item(job: LedgerExportJob) {
    return {
      pk: ledgerExportPartition(job.jurisdiction),
      sk: job.exportId,
      job,
      [expiryAttribute]: epochSeconds(new Date(Date.parse(job.requestedAt) + keptMs)),
    };
  }

  async create(job: LedgerExportJob, retryKey?: string): Promise<LedgerExportJob> {
    if (retryKey) {
      // The retry key's item first (dynalite has no transactions): a retried request finds
      // the key taken, and answers the job it names.
      const key = {
        pk: ledgerExportPartition(job.jurisdiction),
        sk: `${retryKeyPrefix}${retryKey}`,
      };
      const taken = await this.putOnce({
        ...key,
        exportId: job.exportId,
        [expiryAttribute]: this.item(job)[expiryAttribute],
      });
      if (taken) {
        const reply = await this.documents.send(
          new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
        );
        const exportId = String(reply.Item?.exportId);
        const existing = await this.get(job.jurisdiction, exportId);
        if (existing) return existing;
        // The first request stopped between its two writes: its job is recorded now.
        job = { ...job, exportId };
      }
    }
    if (await this.putOnce(this.item(job))) {
      return (await this.get(job.jurisdiction, job.exportId)) ?? job;
    }
    return job;
  }

  /** Puts an item that must not exist yet; answers true when one was there already. */
  private async putOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return false;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return true;
      throw error;
    }
  }

  async get(jurisdiction: string, exportId: string): Promise<LedgerExportJob | null> {
    const reply = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: ledgerExportPartition(jurisdiction), sk: exportId },
        ConsistentRead: true,
      }),
    );
    return (reply.Item?.job as LedgerExportJob | undefined) ?? null;
  }

  async recent(jurisdiction: string, limit: number): Promise<LedgerExportJob[]> {
    const reply = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        // Jobs only: the retry keys' items sort after every export id.
        KeyConditionExpression: 'pk = :pk AND sk < :keys',
        ExpressionAttributeValues: {
          ':pk': ledgerExportPartition(jurisdiction),
          ':keys': retryKeyPrefix,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (reply.Items ?? []).map((item) => item.job as LedgerExportJob);
  }

  async finish(job: LedgerExportJob): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.item(job),
        // A job ends once: a second worker (a retried invocation) does not overwrite it.
        ConditionExpression: 'attribute_exists(pk) AND #job.#status = :running',
        ExpressionAttributeNames: { '#job': 'job', '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'running' },
      }),
    );
  }
}
