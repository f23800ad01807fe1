import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * One Lambda execution environment: a worker thread with its own process.env (the
 * function's template environment and credentials for its role), which imports the
 * function's built bundle once and then serves invocations, as the Node.js runtime does.
 */
interface Invocation {
  id: number;
  event: unknown;
  context: Record<string, unknown>;
  deadline: number;
}

const { bundle, handlerName } = workerData as { bundle: string; handlerName: string };
const loaded = import(pathToFileURL(bundle).href).then((module: Record<string, unknown>) => {
  const handler = module[handlerName];
  if (typeof handler !== 'function') {
    throw new Error(`${bundle} exports no function named ${handlerName}`);
  }
  return handler as (event: unknown, context: unknown) => Promise<unknown>;
});

parentPort?.on('message', async ({ id, event, context, deadline }: Invocation) => {
  try {
    const handler = await loaded;
    const result = await handler(event, {
      ...context,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    });
    parentPort?.postMessage({ id, result: result === undefined ? null : result });
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    parentPort?.postMessage({
      id,
      error: { name: error.name, message: error.message, stack: error.stack ?? '' },
    });
  }
});
