import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { calendarWarnings } from '@qingling/shared/calendar/calendar.ts';
import { defaultDataDirectory, startEmbeddedCloud } from './embedded-cloud.ts';
import { holdInstanceLock, runningInstance } from './instance-lock.ts';
import { SiteBuildFailed, siteBuilt } from './site-build.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'clock-speed': { type: 'string' },
    /** Start with an empty office: no demo enterprises, hazards or tips. */
    'no-demo-records': { type: 'boolean' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 8787);
const dataDirectory = resolve(
  values['data-dir'] ?? process.env.QINGLING_DATA_DIR ?? defaultDataDirectory,
);
const other = runningInstance(dataDirectory);
if (other) {
  console.error(
    `Qingling is already running (process ${other}) with the data in ${dataDirectory}.\n` +
      'Stop it first (Ctrl-C in its terminal), or give a second copy its own folder: npm start -- --data-dir /tmp/qingling-2 --port 8788',
  );
  process.exit(1);
}
const startedAt = performance.now();
let cloud: Awaited<ReturnType<typeof startEmbeddedCloud>>;
try {
  cloud = await startEmbeddedCloud({
    port,
    ...(values.host ? { host: values.host } : {}),
    dataDirectory,
    ...(process.env.QINGLING_WEB_ROOT ? { webRoot: process.env.QINGLING_WEB_ROOT } : {}),
    clockSpeed: Number(values['clock-speed'] ?? 1),
    demoRecords: !values['no-demo-records'],
    // The port answers 503 "starting" until the pages npm start builds are there too.
    beforeReady: siteBuilt,
  });
} catch (error) {
  if (error instanceof SiteBuildFailed) {
    // The build printed its whole log.
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is in use by another program. Choose another: PORT=8788 npm start`);
  } else {
    console.error('Qingling could not start:', (error as Error).message);
  }
  process.exit(1);
}
const releaseLock = holdInstanceLock(dataDirectory);
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

console.log(`
清零 Qingling is running (embedded cloud, started in ${seconds} s)
  ${cloud.url}/                  public home page
  ${cloud.url}/office/sign-in    office sign-in (demo users of every role, in each jurisdiction)
  ${cloud.url}/api/health        health
  ${cloud.url}/api/openapi.json  OpenAPI 3.1 description
  ${cloud.url}/_local/outbox     outbox: every notification the system sent
Clock: ${cloud.clock.now().toISOString()}${values['clock-speed'] ? ` (×${values['clock-speed']})` : ''}
Data: ${cloud.dataDirectory} (npm run reset wipes it). Ctrl-C stops.
READY ${cloud.url}`);

for (const warning of calendarWarnings(await cloud.policies.calendar(), cloud.clock.now())) {
  console.warn(`⚠ ${warning.message.zh}\n  ${warning.message.en}`);
}

// kill -USR2 <pid>: what the process holds, for an operator watching a long run.
process.on('SIGUSR2', () => {
  const megabytes = (bytes: number) => Math.round(bytes / 1048576);
  const usage = process.memoryUsage();
  console.log(
    `memory: rss ${megabytes(usage.rss)} MB, heap ${megabytes(usage.heapUsed)}/${megabytes(usage.heapTotal)} MB, external ${megabytes(usage.external)} MB, array buffers ${megabytes(usage.arrayBuffers)} MB; lifecycles ${JSON.stringify(cloud.conductor.size)} / tips ${JSON.stringify(cloud.tipConductor.size)}`,
  );
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await cloud.stop();
    releaseLock();
    process.exit(0);
  });
}
