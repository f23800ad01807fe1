import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import { type EmbeddedCloud, startEmbeddedCloud } from '#local/embedded-cloud.ts';
import type { ReplyBody } from './tips.ts';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const fixtureSite = join(repositoryRoot, 'tests/support/site');

export async function temporaryDataDirectory(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'qingling-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The embedded cloud in this process, on a free port, with its data in a fresh folder. */
export async function startTestCloud(
  options: {
    webRoot?: string;
    dataDirectory?: string;
    publicRequestsPerMinute?: number;
    clock?: Clock;
    /** Proof-of-work difficulty: tests ask for easy puzzles so that solving takes no time. */
    proofOfWorkBits?: number;
    /** The demo office (enterprises, hazards, tips) `npm start` seeds: off unless asked. */
    demoRecords?: boolean;
    /** The heartbeat's scheduled jobs (sweeps, reconciler): on unless a test counts calls. */
    scheduledJobs?: boolean;
  } = {},
): Promise<EmbeddedCloud & { removeData(): Promise<void> }> {
  const data = options.dataDirectory
    ? { path: options.dataDirectory, remove: async () => {} }
    : await temporaryDataDirectory();
  const cloud = await startEmbeddedCloud({
    dataDirectory: data.path,
    port: 0,
    webRoot: options.webRoot ?? fixtureSite,
    ...(options.publicRequestsPerMinute
      ? { publicRequestsPerMinute: options.publicRequestsPerMinute }
      : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.proofOfWorkBits ? { proofOfWorkBits: options.proofOfWorkBits } : {}),
    demoRecords: options.demoRecords ?? false,
    ...(options.scheduledJobs === false ? { scheduledJobs: false } : {}),
  });
  return { ...cloud, removeData: data.remove };
}

export async function signIn(url: string, username: string): Promise<string> {
  return (await demoToken(url, username)).id_token;
}

/** A demo user's token from the local sign-in (/auth/token), as the sign-in page gets it. */
export async function demoToken(
  url: string,
  username: string,
): Promise<{ id_token: string; expires_in: number }> {
  const response = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status}`);
  return (await response.json()) as { id_token: string; expires_in: number };
}

/**
 * A JSON request to the API at `url` as the user `as` (null: signed out), signed in afresh
 * each time: a token issued before a test's clock moved on would have expired.
 */
export async function callApi(
  url: string,
  method: string,
  path: string,
  as: string | null,
  body?: unknown,
): Promise<{ status: number; body: ReplyBody }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${await signIn(url, as)}`;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export interface CloudProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * `npm start`'s program as a separate process, as a user runs it, for restart tests; on a
 * given port (to start again where a killed one ran) and with a faster clock if asked.
 */
export async function spawnCloud(
  dataDirectory: string,
  webRoot = fixtureSite,
  options: { port?: number; clockSpeed?: number; demoRecords?: boolean } = {},
): Promise<CloudProcess> {
  const child = spawn(
    process.execPath,
    [
      join(repositoryRoot, 'infra/local/src/main.ts'),
      '--port',
      String(options.port ?? 0),
      '--data-dir',
      dataDirectory,
      ...(options.clockSpeed ? ['--clock-speed', String(options.clockSpeed)] : []),
      ...(options.demoRecords ? [] : ['--no-demo-records']),
    ],
    {
      cwd: repositoryRoot,
      env: { ...process.env, QINGLING_WEB_ROOT: webRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no READY line:\n${output}`)), 30_000);
    const check = () => {
      const match = /^READY (\S+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before READY:\n${output}`));
    });
  });
  return { url, child, output: () => output, exited };
}
