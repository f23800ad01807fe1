import type { LedgerExportTask } from '@qingling/shared/ports/ledger-exports.ts';
import { runLedgerExport } from '#functions/hazards/ledger-export-worker.ts';

/**
 * The ledger export worker on the embedded cloud: the same code as AWS's worker function,
 * run in this process in the background, as Lambda's asynchronous invocation runs it
 * there; the asking request answers at once. Stopping the cloud waits for those under way.
 */
export class BackgroundExports {
  private readonly running = new Set<Promise<unknown>>();

  start = async (task: LedgerExportTask): Promise<void> => {
    // Off the request's turn, as an asynchronous invocation is.
    const run: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(() => runLedgerExport(task))
      .catch((error: unknown) => {
        console.error('ledger export worker failed', error);
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
  };

  /** Resolves once no export is under way. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
