import { request } from '#lib/api.ts';

/**
 * The time by the API's clock, for countdowns: deadlines are the server's, and so is the
 * time they run on (a fast demo clock, a browser whose clock is wrong). Read from the health
 * route (`now`), allowing half the round trip; read again at every refresh, so a clock that
 * runs faster than real time is followed. Until the first answer there is no time to count
 * from (undefined), and the countdowns wait; if the API cannot say, the browser's clock
 * with the last difference known stands in.
 */
let offset: number | undefined;

export async function serverNow(): Promise<number> {
  const sent = Date.now();
  try {
    const { now } = await request<{ now?: string }>('/api/health');
    const received = Date.now();
    const server = now ? Date.parse(now) : Number.NaN;
    if (Number.isFinite(server)) {
      offset = server + (received - sent) / 2 - received;
      return received + offset;
    }
  } catch {
    // The browser's clock, corrected as last known, below.
  }
  return Date.now() + (offset ?? 0);
}
