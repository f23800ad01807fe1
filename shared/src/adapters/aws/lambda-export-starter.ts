import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LedgerExportStarter, LedgerExportTask } from '../../ports/ledger-exports.ts';

/**
 * Starts the export worker with an asynchronous invocation (InvocationType Event): Lambda
 * queues the event and answers 202 at once, so the asking request never waits for the
 * file. The worker's own function is named by its alias ARN.
 */
export function lambdaExportStarter(options: {
  functionName: string;
  client?: LambdaClient;
}): LedgerExportStarter {
  const client = options.client ?? new LambdaClient({});
  return async (task: LedgerExportTask) => {
    const reply = await client.send(
      new InvokeCommand({
        FunctionName: options.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(task)),
      }),
    );
    if (reply.StatusCode !== 202) {
      throw new Error(`The export worker was not queued (status ${reply.StatusCode})`);
    }
  };
}
