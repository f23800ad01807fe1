import { parseArgs } from 'node:util';
import type { Role } from '@qingling/shared/auth/principal.ts';
import sharp from 'sharp';
import {
  administratorJourney,
  anonymousTipJourney,
  hazardLifecycleJourney,
  healthJourney,
  type JourneyTarget,
  tipWithPhotoJourney,
} from '../infra/harness/journeys.ts';

/**
 * npm run smoke -- --url https://qingling.example.gov.cn [--token officer=JWT]
 *   [--token administrator=JWT] [--jurisdiction CODE]
 *
 * --url is the site's address (the stack's output SiteUrl), where CloudFront sends /api/*
 * on with its origin header: the API's own endpoint (ApiUrl) refuses every request then.
 * Only a stack without CloudFront (cdn "none", the China profile) is smoked at ApiUrl.
 *
 * Runs the template harness's journeys over HTTPS against a real deployment: health, an
 * anonymous tip and its follow-up, a tip with a photo, and, given tokens of people of that
 * jurisdiction, a major hazard's lifecycle and an administrator's ladder edit. It writes
 * real records (a tip, a hazard, an enterprise): point it at a test jurisdiction.
 */

interface SmokeOptions {
  url: string;
  tokens: Partial<Record<Role, string>>;
  jurisdiction?: string;
  log?: (line: string) => void;
}

export async function runSmoke(
  options: SmokeOptions,
): Promise<{ passed: string[]; failed: string[]; skipped: string[] }> {
  const log = options.log ?? console.log;
  const target: JourneyTarget = {
    apiUrl: options.url.replace(/\/+$/, ''),
    tokenFor: async (role) => {
      const token = options.tokens[role];
      if (!token) throw new Error(`no --token ${role}=… given`);
      return token;
    },
    pause: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
    ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
  };
  const photo = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } },
  })
    .jpeg()
    .toBuffer();
  const journeys: { name: string; needs?: Role; run: () => Promise<unknown> }[] = [
    { name: 'health', run: () => healthJourney(target) },
    {
      name: 'anonymous tip and follow-up',
      needs: 'officer',
      run: () => anonymousTipJourney(target),
    },
    { name: 'tip with a photo', run: () => tipWithPhotoJourney(target, photo) },
    { name: 'major hazard lifecycle', needs: 'officer', run: () => hazardLifecycleJourney(target) },
    {
      name: 'administrator edits a ladder',
      needs: 'administrator',
      run: () => administratorJourney(target),
    },
  ];
  const passed: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  if (await refusedAsDirect(target.apiUrl)) {
    log(
      'FAILED   这是 API 自身的地址，它只接受经 CloudFront 的请求：请用本站网址（输出 SiteUrl）。' +
        " / This is the API's own endpoint, which answers only CloudFront: pass the site's " +
        'address (output SiteUrl) as --url.',
    );
    return { passed, failed: journeys.map((journey) => journey.name), skipped };
  }
  for (const journey of journeys) {
    if (journey.needs && !options.tokens[journey.needs]) {
      skipped.push(journey.name);
      log(`SKIPPED  ${journey.name}: give --token ${journey.needs}=<JWT> to run it`);
      continue;
    }
    const started = Date.now();
    try {
      await journey.run();
      passed.push(journey.name);
      log(`ok       ${journey.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed.push(journey.name);
      log(`FAILED   ${journey.name}: ${(error as Error).message}`);
    }
  }
  log(`${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped`);
  return { passed, failed, skipped };
}

/** Whether the URL is an API that refuses requests not sent through CloudFront. */
async function refusedAsDirect(apiUrl: string): Promise<boolean> {
  try {
    const reply = await fetch(`${apiUrl}/api/health`);
    if (reply.status !== 403) return false;
    const body = (await reply.json()) as { error?: { code?: string } };
    return body.error?.code === 'not_through_site';
  } catch {
    // Unreachable or not JSON: the health journey says what is wrong.
    return false;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      token: { type: 'string', multiple: true },
      jurisdiction: { type: 'string' },
    },
  });
  if (!values.url) {
    console.error(
      'Usage: npm run smoke -- --url https://<site (output SiteUrl)> [--token officer=JWT] [--token administrator=JWT] [--jurisdiction CODE]',
    );
    process.exit(2);
  }
  const tokens: Partial<Record<Role, string>> = {};
  for (const entry of values.token ?? []) {
    const [role, ...rest] = entry.split('=');
    tokens[role as Role] = rest.join('=');
  }
  const { failed } = await runSmoke({
    url: values.url,
    tokens,
    ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}),
  });
  process.exit(failed.length ? 1 : 0);
}
