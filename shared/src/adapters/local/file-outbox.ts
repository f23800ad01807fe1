import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Contact, ContactDirectory } from '../../notifications/directory.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Notification, Notifier } from '../../ports/outbox.ts';

/** A contact as the outbox shows it: a robot's signing secret is never written down. */
export type OutboxContact =
  | { kind: 'email'; address: string }
  | { kind: 'sms'; phone: string }
  | { kind: 'wecom'; url: string }
  | { kind: 'dingtalk'; url: string };

export interface OutboxEntry extends Notification {
  sentAt: string;
  /**
   * Where the message went, as the directory resolved its `to` when it was sent (an
   * outbox with a directory only). Empty: nobody is on file for the address, which AWS
   * refuses to deliver (the message waits in the dead-letter queue).
   */
  contacts?: OutboxContact[];
}

const shown = (contact: Contact): OutboxContact =>
  contact.kind === 'dingtalk' ? { kind: 'dingtalk', url: contact.url } : { ...contact };

/**
 * The embedded cloud's stand-in for SES, SNS and group-robot webhooks: every notification
 * is appended to a JSON-lines file, which the outbox page shows like a dev mailbox. Given
 * a directory, it resolves each message's `to` as AWS's delivery function does, and notes
 * the contacts reached beside the message.
 */
export class FileOutbox implements Notifier {
  private readonly path: string;
  private readonly clock: Clock;
  private readonly directory: ContactDirectory | undefined;

  constructor(path: string, clock: Clock, directory?: ContactDirectory) {
    this.path = path;
    this.clock = clock;
    this.directory = directory;
  }

  async send(notification: Notification): Promise<void> {
    // Resolved first: a directory that cannot answer fails the send, and the caller retries.
    const contacts = this.directory
      ? (await this.directory.resolve(notification.to)).map(shown)
      : undefined;
    await mkdir(dirname(this.path), { recursive: true });
    const entry: OutboxEntry = {
      ...notification,
      sentAt: this.clock.now().toISOString(),
      ...(contacts ? { contacts } : {}),
    };
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
