import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as dependencies from '../dependencies.ts';
import { logger } from '../observability/logger.ts';
import { count } from '../observability/metrics.ts';
import { recordOf, taskInput } from './lifecycle-task.ts';

/**
 * Drains the lifecycle's dead-letter queue: each message is an execution that failed,
 * timed out or was aborted (the EventBridge rule keeps its name and input), and its
 * record's lifecycle is started again from the record, as the next generation. The queue
 * feeds this function through an event source mapping that an operator enables once the
 * cause is fixed (a lifecycle that fails for a bug would otherwise fail again at once);
 * an alarm on the age of the oldest message says when to look. A record whose lifecycle
 * already runs again is left to it.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const message of event.Records) {
    try {
      const failed = JSON.parse(message.body) as { input?: string; status?: string };
      const input = taskInput(JSON.parse(failed.input ?? 'null'));
      const { field, id } = recordOf(input);
      const workflow =
        field === 'hazardId' ? dependencies.hazardWorkflow() : dependencies.tipWorkflow();
      await workflow.wake(id);
      count('LifecyclesRestarted');
      logger.info('Lifecycle started again from the record', {
        [field]: id,
        failedGeneration: input.generation,
        status: failed.status,
      });
    } catch (error) {
      logger.error('Lifecycle not restarted; the message stays in the queue', {
        messageId: message.messageId,
        error: error as Error,
      });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures };
}
