import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStatus } from '../../hazards/hazard.ts';

/** Hazards whose lifecycle still has a timer: open ones, and closed ones awaiting a look-back. */
const liveStatuses: LedgerStatus[] = ['reported', 'rectifying', 'verifying', 'closed_look_back'];

/** The ledger's index (gsi1: HAZARDS#<jurisdiction>#<status>): every live hazard's id. */
export async function liveHazardIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const jurisdiction of jurisdictions) {
    for (const status of liveStatuses) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `HAZARDS#${jurisdiction}#${status}` },
            ProjectionExpression: 'pk',
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) ids.push(String(item.pk).replace(/^HAZARD#/, ''));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  }
  return ids;
}
