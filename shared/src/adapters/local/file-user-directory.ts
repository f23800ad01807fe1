import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Role } from '../../auth/principal.ts';
import type {
  DirectoryEntry,
  NewDirectoryUser,
  UserDirectory,
} from '../../ports/user-directory.ts';

/**
 * The embedded cloud's user directory (Cognito's part): a JSON file under .data, first
 * filled with the demo users, so that an administrator's edits survive a restart and the
 * local sign-in issues tokens with the roles the file says. Writes are queued and replace
 * the file whole (a crash leaves the old file or the new, never half of one).
 */
export class FileUserDirectory implements UserDirectory {
  readonly kind = 'local' as const;
  private readonly path: string;
  private readonly seed: () => DirectoryEntry[];
  /** The file read (or first filled) once: concurrent first sign-ins share one read. */
  private loading: Promise<Map<string, DirectoryEntry>> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private writes = 0;

  constructor(options: { path: string; seed: () => DirectoryEntry[] }) {
    this.path = options.path;
    this.seed = options.seed;
  }

  /** Every user, in the order they were added (the demo users' order first). */
  async all(): Promise<DirectoryEntry[]> {
    return [...(await this.load()).values()].map(copy);
  }

  async list(jurisdiction: string): Promise<DirectoryEntry[]> {
    return (await this.all()).filter((user) => user.jurisdictions.includes(jurisdiction));
  }

  async get(username: string): Promise<DirectoryEntry | null> {
    const user = (await this.load()).get(username);
    return user ? copy(user) : null;
  }

  create(user: NewDirectoryUser): Promise<DirectoryEntry | 'exists'> {
    return this.change(async (users) => {
      if (users.has(user.username)) return 'exists';
      const entry: DirectoryEntry = {
        username: user.username,
        userId: `local:${user.username}`,
        name: user.name,
        roles: [...user.roles],
        jurisdictions: [...user.jurisdictions],
        enabled: true,
      };
      users.set(user.username, entry);
      return copy(entry);
    });
  }

  update(username: string, change: { name: string; roles: Role[]; enabled: boolean }) {
    return this.change(async (users) => {
      const user = users.get(username);
      if (!user) throw new Error(`No user ${username}`);
      users.set(username, {
        ...user,
        name: change.name,
        roles: [...change.roles],
        enabled: change.enabled,
      });
    });
  }

  private load(): Promise<Map<string, DirectoryEntry>> {
    this.loading ??= this.read().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async read(): Promise<Map<string, DirectoryEntry>> {
    try {
      const stored = (JSON.parse(await readFile(this.path, 'utf8')) as { users: DirectoryEntry[] })
        .users;
      return new Map(stored.map((user) => [user.username, user]));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const users = new Map(this.seed().map((user) => [user.username, user]));
      await this.save(users);
      return users;
    }
  }

  private change<T>(apply: (users: Map<string, DirectoryEntry>) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const users = await this.load();
      const result = await apply(users);
      await this.save(users);
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async save(users: Map<string, DirectoryEntry>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // A name of its own per write: two writes never share a temporary file.
    this.writes += 1;
    const temporary = `${this.path}.${process.pid}.${this.writes}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ users: [...users.values()] }, null, 1)}\n`, {
      mode: 0o600,
    });
    await rename(temporary, this.path);
  }
}

const copy = (user: DirectoryEntry): DirectoryEntry => ({
  ...user,
  roles: [...user.roles],
  jurisdictions: [...user.jurisdictions],
});
