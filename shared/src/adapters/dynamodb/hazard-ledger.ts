import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HazardStatus } from '../../hazards/hazard.ts';

const openStatuses: HazardStatus[] = ['reported', 'rectifying', 'verifying'];

/** The ledger's index (gsi1: HAZARDS#<jurisdiction>#<status>): every open hazard's id. */
export async function openHazardIds(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jurisdictions: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const jurisdiction of jurisdictions) {
    for (const status of openStatuses) {
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
