import { createHash, timingSafeEqual } from 'node:crypto';
import { secretsManagerStages } from '@qingling/shared/adapters/aws/secrets-manager-stages.ts';
import { type ApiEvent, type ApiResult, json } from './json.ts';

/** How long an instance trusts the values it read: a rotation takes effect within this. */
export const originSecretCacheMs = 5 * 60_000;

/** The answer to a request that did not come through the site's own address (CloudFront). */
export const notThroughSite = (): ApiResult =>
  json(403, {
    error: {
      code: 'not_through_site',
      message: { zh: '请通过本站网址访问。', en: "Use the site's own address." },
    },
  });

/** Equal in constant time: hashes first, so neither the length nor a prefix leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Lets through only requests that carry the header CloudFront adds to its origin requests,
 * with the secret's current or previous value (the overlap of a rotation: CloudFront keeps
 * sending the previous one until the distribution is redeployed). The values are read once
 * per instance and read again after `originSecretCacheMs`; a failed read is not kept.
 */
export class OriginGate {
  private readonly header: string;
  private readonly readValues: () => Promise<string[]>;
  private readonly now: () => number;
  private values: { at: number; list: Promise<string[]> } | undefined;

  constructor(options: {
    header: string;
    readValues: () => Promise<string[]>;
    now?: () => number;
  }) {
    this.header = options.header.toLowerCase();
    this.readValues = options.readValues;
    this.now = options.now ?? Date.now;
  }

  /** Whether the request came through CloudFront; false without the header, never throws on it. */
  async admits(event: ApiEvent): Promise<boolean> {
    const given = event.headers?.[this.header];
    if (!given) return false;
    const values = await this.current();
    // Every value is compared, so the time taken does not say which one matched.
    return values.map((value) => sameSecret(given, value)).includes(true);
  }

  /** The request's headers without the secret one: handlers have no use for it. */
  withoutSecret(headers: Record<string, string | undefined>): Record<string, string | undefined> {
    const { [this.header]: _secret, ...rest } = headers;
    return rest;
  }

  private current(): Promise<string[]> {
    const now = this.now();
    if (!this.values || now - this.values.at >= originSecretCacheMs) {
      const list = this.readValues().catch((error: unknown) => {
        this.values = undefined;
        throw error;
      });
      this.values = { at: now, list };
    }
    return this.values.list;
  }
}

let fromEnvironment: { key: string; gate: OriginGate | undefined } | undefined;

/**
 * The gate the deployment asks for: ORIGIN_VERIFY_SECRET_ARN and ORIGIN_VERIFY_HEADER are
 * set on API functions when CloudFront fronts the API. Without them (the China profile,
 * the embedded cloud, tests) there is no gate.
 */
export function originGate(): OriginGate | undefined {
  const secretId = process.env.ORIGIN_VERIFY_SECRET_ARN;
  const header = process.env.ORIGIN_VERIFY_HEADER;
  const key = `${secretId ?? ''}|${header ?? ''}`;
  if (fromEnvironment?.key !== key) {
    if (Boolean(secretId) !== Boolean(header)) {
      throw new Error('ORIGIN_VERIFY_SECRET_ARN and ORIGIN_VERIFY_HEADER go together');
    }
    fromEnvironment = {
      key,
      gate:
        secretId && header
          ? new OriginGate({ header, readValues: secretsManagerStages(secretId) })
          : undefined,
    };
  }
  return fromEnvironment.gate;
}
