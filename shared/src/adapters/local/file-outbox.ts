import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../ports/clock.ts';
import type { Notification, Notifier } from '../../ports/outbox.ts';

export interface OutboxEntry extends Notification {
  sentAt: string;
}

/**
 * The embedded cloud's stand-in for SES, SNS and group-robot webhooks: every notification
 * is appended to a JSON-lines file, which the outbox page shows like a dev mailbox.
 */
export class FileOutbox implements Notifier {
  private readonly path: string;
  private readonly clock: Clock;

  constructor(path: string, clock: Clock) {
    this.path = path;
    this.clock = clock;
  }

  async send(notification: Notification): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const entry: OutboxEntry = { ...notification, sentAt: this.clock.now().toISOString() };
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
  }

  async list(): Promise<OutboxEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // A line cut short by a kill -9 is skipped, not fatal.
    return text.split('\n').flatMap((line) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as OutboxEntry];
      } catch {
        return [];
      }
    });
  }
}
