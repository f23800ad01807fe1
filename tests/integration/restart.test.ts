import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CloudProcess,
  repositoryRoot,
  signIn,
  spawnCloud,
  temporaryDataDirectory,
} from '../support/embedded-cloud.ts';
import { postJson, validTip } from '../support/tips.ts';

// `npm start`'s program, run as a separate process the way a user runs it, stopped with
// Ctrl-C (SIGINT) and killed with kill -9: data written through the API must survive both.
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
beforeAll(async () => {
  data = await temporaryDataDirectory();
});
afterAll(async () => {
  await data.remove();
});

async function setUnits(cloud: CloudProcess, units: string[], expectedVersion: number) {
  const token = await signIn(cloud.url, 'cq-gecheng.administrator');
  const response = await fetch(`${cloud.url}/api/jurisdictions/cq-gecheng`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ zh: '葛城街道', en: 'Gecheng Subdistrict', units, expectedVersion }),
  });
  expect(response.status).toBe(200);
}

async function gecheng(cloud: CloudProcess) {
  const response = await fetch(`${cloud.url}/api/jurisdictions`);
  const { jurisdictions } = (await response.json()) as {
    jurisdictions: { code: string; units: string[]; version: number }[];
  };
  expect(jurisdictions).toHaveLength(5); // the seed was loaded once, never twice
  return jurisdictions.find((jurisdiction) => jurisdiction.code === 'cq-gecheng');
}

describe('the embedded cloud keeps its data', () => {
  it('across Ctrl-C and a new start', async () => {
    const first = await spawnCloud(data.path);
    expect(first.output()).toContain('清零 Qingling is running');
    await setUnits(first, ['东门社区', '新社区'], 1);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = await spawnCloud(data.path);
    try {
      expect(await gecheng(second)).toMatchObject({ units: ['东门社区', '新社区'], version: 2 });
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
  });

  it('starts again without a warning after a tipster wrote and Ctrl-C stopped it', async () => {
    const first = await spawnCloud(data.path);
    const tip = await postJson(`${first.url}/api/tips`, validTip());
    expect(tip.status).toBe(201);
    const receipt = tip.body.receipt as string;
    // What a tipster adds later, which no lifecycle plans from: a message, photo slots.
    const written = await Promise.all([
      postJson(`${first.url}/api/tips/messages`, {
        receipt,
        idempotencyKey: crypto.randomUUID(),
        text: '北侧的安全出口，晚上八点以后最严重。',
      }),
      postJson(`${first.url}/api/tips/photo-uploads`, { receipt, count: 1 }),
    ]);
    expect(written.map((reply) => reply.status)).toEqual([201, 201]);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    // The next start's sweep finds no change a lifecycle missed (it would wake and warn).
    const second = await spawnCloud(data.path);
    second.child.kill('SIGINT');
    await second.exited;
    expect(second.output()).toContain('清零 Qingling is running');
    expect(second.output()).not.toContain('Reconciler woke lifecycles');
  });

  it('across kill -9 right after a write', async () => {
    const first = await spawnCloud(data.path);
    await setUnits(first, ['杀不掉的社区'], 2);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnCloud(data.path);
    try {
      expect(await gecheng(second)).toMatchObject({ units: ['杀不掉的社区'], version: 3 });
      const health = (await (await fetch(`${second.url}/api/health`)).json()) as { ok: boolean };
      expect(health.ok).toBe(true);
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
  });
});

describe('one embedded cloud per data folder', () => {
  it('refuses a second start and a reset while one runs, with a message that says what to do', async () => {
    const { spawnSync } = await import('node:child_process');
    const first = await spawnCloud(data.path);
    try {
      const second = spawnSync(
        process.execPath,
        ['infra/local/src/main.ts', '--port', '0', '--data-dir', data.path],
        { cwd: repositoryRoot, encoding: 'utf8', timeout: 30_000 },
      );
      expect(second.status).toBe(1);
      expect(second.stderr).toContain('already running');
      const reset = spawnSync(process.execPath, ['infra/local/src/reset.ts'], {
        cwd: repositoryRoot,
        encoding: 'utf8',
        env: { ...process.env, QINGLING_DATA_DIR: data.path },
        timeout: 30_000,
      });
      expect(reset.status).toBe(1);
      expect(reset.stderr).toContain('stop it first');
      // The first one is unharmed.
      expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    } finally {
      first.child.kill('SIGINT');
      await first.exited;
    }
  });
});
