import { parseArgs } from 'node:util';
import { defaultDataDirectory, startEmbeddedCloud } from './embedded-cloud.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'clock-speed': { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 8787);
const startedAt = performance.now();
const cloud = await startEmbeddedCloud({
  port,
  ...(values.host ? { host: values.host } : {}),
  dataDirectory: values['data-dir'] ?? process.env.QINGLING_DATA_DIR ?? defaultDataDirectory,
  ...(process.env.QINGLING_WEB_ROOT ? { webRoot: process.env.QINGLING_WEB_ROOT } : {}),
  clockSpeed: Number(values['clock-speed'] ?? 1),
});
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

console.log(`
清零 Qingling is running (embedded cloud, started in ${seconds} s)
  ${cloud.url}/                  public home page
  ${cloud.url}/office/sign-in    office sign-in (demo users, one per role and jurisdiction)
  ${cloud.url}/api/health        health
  ${cloud.url}/api/openapi.json  OpenAPI 3.1 description
  ${cloud.url}/_local/outbox     outbox: every notification the system sent
Clock: ${cloud.clock.now().toISOString()}${values['clock-speed'] ? ` (×${values['clock-speed']})` : ''}
Data: ${cloud.dataDirectory} (npm run reset wipes it). Ctrl-C stops.
READY ${cloud.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await cloud.stop();
    process.exit(0);
  });
}
