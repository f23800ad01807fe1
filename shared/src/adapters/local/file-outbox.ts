import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
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
 *
 * A key is written once, as AWS's delivery ledger sends it once: the lifecycle sends again
 * after a crash between sending and marking delivered, with the same key. The keys on file
 * are read once (the first send) into a set; this process is the file's only writer.
 */
export class FileOutbox implements Notifier {
  private readonly path: string;
  private readonly clock: Clock;
  private readonly directory: ContactDirectory | undefined;
  private written: Promise<FileState> | undefined;
  /** The file's folder, made once (a mkdir a message was 1 % of an escalation burst's CPU). */
  private folder: Promise<unknown> | undefined;
  /** Sends under way, by key: a second send of the key waits for the first to end. */
  private readonly sending = new Map<string, Promise<void>>();

  constructor(path: string, clock: Clock, directory?: ContactDirectory) {
    this.path = path;
    this.clock = clock;
    this.directory = directory;
  }

  async send(notification: Notification): Promise<void> {
    const file = await this.fileState();
    for (;;) {
      if (file.keys.has(notification.key)) return;
      const earlier = this.sending.get(notification.key);
      if (!earlier) break;
      // Known to have ended only when it settles: if it failed, this send tries again.
      await earlier.catch(() => undefined);
    }
    const attempt = this.write(file, notification);
    this.sending.set(notification.key, attempt);
    try {
      await attempt;
    } finally {
      this.sending.delete(notification.key);
    }
  }

  private async write(file: FileState, notification: Notification): Promise<void> {
    // Resolved first: a directory that cannot answer fails the send, and the caller retries.
    const contacts = this.directory
      ? (await this.directory.resolve(notification.to)).map(shown)
      : undefined;
    this.folder ??= mkdir(dirname(this.path), { recursive: true }).catch((error: unknown) => {
      this.folder = undefined;
      throw error;
    });
    await this.folder;
    const entry: OutboxEntry = {
      ...notification,
      sentAt: this.clock.now().toISOString(),
      ...(contacts ? { contacts } : {}),
    };
    // A line torn by a kill -9 is ended first, or this entry would be glued to it and lost.
    const line = `${file.torn ? '\n' : ''}${JSON.stringify(entry)}\n`;
    await appendFile(this.path, line);
    file.torn = false;
    file.keys.add(notification.key);
  }

  /** The keys on file, read once; a failed read is tried again at the next send. */
  private fileState(): Promise<FileState> {
    this.written ??= readKeys(this.path).catch((error: unknown) => {
      this.written = undefined;
      throw error;
    });
    return this.written;
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

interface FileState {
  keys: Set<string>;
  /** The file ends in a line cut short (no newline). */
  torn: boolean;
}

/** Line by line, not the whole file at once: an outbox of 100,000 messages is ~50 MB. */
async function readKeys(path: string): Promise<FileState> {
  const keys = new Set<string>();
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (!line) continue;
      try {
        const { key } = JSON.parse(line) as Partial<OutboxEntry>;
        if (typeof key === 'string') keys.add(key);
      } catch {
        // Torn by a kill -9: its message was not sent as far as anyone can see.
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { keys, torn: false };
    throw error;
  } finally {
    stream.destroy();
  }
  return { keys, torn: !(await endsWithNewline(path)) };
}

async function endsWithNewline(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    const { buffer } = await file.read({ buffer: Buffer.alloc(1), position: size - 1 });
    return buffer[0] === 0x0a;
  } finally {
    await file.close();
  }
}
