import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'constructs';
import { repoRoot } from './paths.ts';

/**
 * What the deployment's regions offer. `global`: the AWS regions outside China, with
 * CloudFront, Cognito, SES and SMS by SNS. `china`: the Beijing and Ningxia regions
 * (cn-north-1, cn-northwest-1), which have none of these four: the site bucket is served by
 * a licensed CDN, officers sign in with an OIDC issuer, and SMS goes through an HTTP
 * provider (`smsProviderUrl`). See infra/aws/README.md.
 */
export type Profile = 'global' | 'china';

/**
 * How the site is delivered. CloudFront needs an ICP licence in the China regions, so
 * there the stack builds the site bucket only and a licensed CDN is put in front of it.
 */
export type CdnMode = 'cloudfront' | 'none';

/**
 * Who signs the officers' tokens: a Cognito user pool made by this stack, or any OIDC
 * issuer (a government single sign-on, or Cognito in another stack) given by configuration.
 */
export type AuthConfig =
  | { kind: 'cognito' }
  | { kind: 'oidc'; issuer: string; audience: readonly string[] };

/** Everything about a deployment that is not code: read from CDK context by bin/app.ts. */
export interface DeploymentConfig {
  /** What the regions offer: `global` (default) or `china`. */
  profile: Profile;
  cdn: CdnMode;
  auth: AuthConfig;
  /** The version the health route reports: context `codeVersion`, else package.json's. */
  codeVersion: string;
  /**
   * The site's public origin (https://host) when it is not the CloudFront default domain:
   * a custom domain, or the China CDN with `cdn: 'none'`. Used for OAuth redirects and CORS.
   */
  siteUrl?: string;
  /** Custom domain names for CloudFront with an ACM certificate in us-east-1. */
  domain?: { names: readonly string[]; certificateArn: string };
  /** A WAFv2 web ACL (CLOUDFRONT scope, us-east-1) to attach to the distribution. */
  webAclArn?: string;
  /** Steady-state requests per second and burst for the API's default stage. */
  throttle: Throttle;
  /**
   * Limits of each public route that takes or mints receipts (tip intake and follow-up),
   * for all callers together: a cap on flooding and on guessing receipts.
   */
  receiptRouteThrottle: Throttle;
  /** Who the lifecycle's notifications go to (JSON: `role@jurisdiction` → contacts). */
  contactDirectoryJson?: string;
  /** A verified SES address to send e-mail from (absent where SES does not exist). */
  notifyFromAddress?: string;
  /**
   * An SMS provider's https endpoint: SMS goes there (a signed JSON POST, see
   * shared/src/adapters/aws/http-sms-sender.ts) instead of SNS. Required for SMS in the
   * china profile, where SNS sends none.
   */
  smsProviderUrl?: string;
  /**
   * After rotating the origin verification secret: the VersionId of its new value, which
   * CloudFront sends from then on (infra/aws/README.md, "The API answers only CloudFront").
   */
  originSecretVersion?: string;
}

/** API Gateway throttling: steady-state requests per second and burst. */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

export const defaultThrottle = { rateLimit: 50, burstLimit: 100 } as const;
export const defaultReceiptRouteThrottle = { rateLimit: 5, burstLimit: 10 } as const;

/**
 * The optional CloudFront web ACL (stack QinglingWebAcl in us-east-1): per-client limits
 * on the tip routes that keep no identity (no WAF logging, no sampled requests).
 */
export interface WebAclConfig {
  /**
   * Requests per client IP address in any 5 minutes that submit a tip or ask for photo
   * upload forms (/api/tips, /api/tips/photo-uploads).
   */
  tipRateLimit: number;
  /**
   * Requests per client IP address in any 5 minutes that present a receipt: the look-up
   * and the tipster's messages (/api/tips/lookup, /api/tips/messages).
   */
  lookupRateLimit: number;
}

/**
 * A tip with its photos takes a few requests (the tip, a retry, more upload forms), and
 * people behind one address (a workplace, a carrier's NAT) report together: 50 in five
 * minutes turns away no one who reports, and still caps a flood from one address.
 */
export const defaultWebAclTipRateLimit = 50;

/**
 * A tipster opens a receipt and writes a few messages. 30 in five minutes is far more than
 * a person types, and a fifth of the deployment-wide budget of failed look-ups (30 a
 * minute): one address alone cannot use that budget up for everyone else.
 */
export const defaultWebAclLookupRateLimit = 30;

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string`);
  return value;
}

function stringList(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((item) => String(item).trim()).filter(Boolean);
}

function positiveNumber(node: Node, key: string, fallback: number): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`Context "${key}" must be a positive number, got ${String(value)}`);
  }
  return number;
}

function flag(node: Node, key: string): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '' || value === false) return false;
  if (value === true || value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${String(value)}`);
}

/** Context `profile`: `global` unless told otherwise. */
function profileFromContext(node: Node): Profile {
  const profile = optionalString(node, 'profile') ?? 'global';
  if (profile !== 'global' && profile !== 'china') {
    throw new Error(`Context "profile" must be "global" or "china", got "${profile}"`);
  }
  return profile;
}

/** Context `cdn`: CloudFront in the global profile, none in the china profile. */
function cdnFromContext(node: Node): CdnMode {
  const profile = profileFromContext(node);
  const cdn = optionalString(node, 'cdn') ?? (profile === 'china' ? 'none' : 'cloudfront');
  if (cdn !== 'cloudfront' && cdn !== 'none') {
    throw new Error(`Context "cdn" must be "cloudfront" or "none", got "${cdn}"`);
  }
  return cdn;
}

function httpsUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Context "${key}" must be an https URL, got ${value}`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`Context "${key}" must be an https URL, got ${value}`);
  }
  if (url.username || url.password) {
    throw new Error(`Context "${key}" must hold no credentials: requests to it are signed`);
  }
  return value;
}

/**
 * Refuses a configuration its profile's regions cannot deploy, with what to do instead.
 * configFromContext and QinglingStack both call it, so no path builds such a stack.
 */
export function checkProfile(
  config: Pick<
    DeploymentConfig,
    'profile' | 'cdn' | 'auth' | 'notifyFromAddress' | 'domain' | 'webAclArn'
  >,
): void {
  if (config.profile !== 'china') return;
  if (config.cdn === 'cloudfront') {
    throw new Error(
      'The china profile cannot use cdn "cloudfront": CloudFront in the China regions ' +
        'needs an ICP licence (ICP 备案) for the domain and a China account set up for it ' +
        'separately. Leave cdn unset ("none"): the stack makes the site bucket, and a ' +
        'licensed CDN serves it at -c siteUrl=https://<your site>.',
    );
  }
  if (config.auth.kind !== 'oidc') {
    throw new Error(
      'The china profile needs an OIDC issuer for officer sign-in: the China regions have ' +
        'no Cognito. Pass -c oidcIssuer=https://<your single sign-on> ' +
        "-c oidcAudience=<the web app's client id>.",
    );
  }
  if (config.notifyFromAddress) {
    throw new Error(
      'The china profile cannot send e-mail: the China regions have no SES. Remove ' +
        'notifyFromAddress, and reach people by SMS (-c smsProviderUrl=https://...) or by ' +
        'WeCom or DingTalk group robots in the contact directory.',
    );
  }
  if (config.domain || config.webAclArn) {
    throw new Error(
      'The china profile makes no CloudFront distribution, so "domainNames", ' +
        '"certificateArn" and "webAclArn" have nothing to attach to: configure the domain ' +
        'and any web ACL on the licensed CDN, and pass its address as -c siteUrl=...',
    );
  }
}

function httpsOrigin(key: string, value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.hostname !== 'localhost') {
    throw new Error(`Context "${key}" must be an https URL, got ${value}`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads the deployment's configuration from CDK context (cdk.json or `-c key=value`):
 * profile, cdn, oidcIssuer + oidcAudience, siteUrl, domainNames + certificateArn,
 * webAclArn, throttleRateLimit, throttleBurstLimit, receiptThrottleRateLimit,
 * receiptThrottleBurstLimit, codeVersion, contactDirectory (JSON), notifyFromAddress,
 * smsProviderUrl, originSecretVersion. A setting the profile's regions cannot deploy stops it (checkProfile).
 */
export function configFromContext(node: Node): DeploymentConfig {
  const profile = profileFromContext(node);
  const cdn = cdnFromContext(node);

  const issuer = optionalString(node, 'oidcIssuer');
  const audience = stringList(node, 'oidcAudience');
  if (Boolean(issuer) !== Boolean(audience?.length)) {
    throw new Error('Context "oidcIssuer" and "oidcAudience" go together: set both or neither');
  }
  const auth: AuthConfig =
    issuer && audience?.length
      ? { kind: 'oidc', issuer: httpsOrigin('oidcIssuer', issuer), audience }
      : { kind: 'cognito' };

  const domainNames = stringList(node, 'domainNames');
  const certificateArn = optionalString(node, 'certificateArn');
  if (Boolean(domainNames?.length) !== Boolean(certificateArn)) {
    throw new Error('Context "domainNames" and "certificateArn" go together: set both or neither');
  }
  const siteUrl = optionalString(node, 'siteUrl');
  const webAclArn = optionalString(node, 'webAclArn');
  const contactDirectoryJson = optionalString(node, 'contactDirectory');
  if (contactDirectoryJson) JSON.parse(contactDirectoryJson);
  const notifyFromAddress = optionalString(node, 'notifyFromAddress');
  const smsProviderUrl = optionalString(node, 'smsProviderUrl');
  const originSecretVersion = originSecretVersionFrom(node, cdn);

  const config: DeploymentConfig = {
    profile,
    cdn,
    auth,
    codeVersion: optionalString(node, 'codeVersion') ?? packageVersion(),
    ...(siteUrl ? { siteUrl: httpsOrigin('siteUrl', siteUrl) } : {}),
    ...(domainNames?.length && certificateArn
      ? { domain: { names: domainNames, certificateArn } }
      : {}),
    ...(webAclArn ? { webAclArn } : {}),
    ...(contactDirectoryJson ? { contactDirectoryJson } : {}),
    ...(notifyFromAddress ? { notifyFromAddress } : {}),
    ...(smsProviderUrl ? { smsProviderUrl: httpsUrl('smsProviderUrl', smsProviderUrl) } : {}),
    ...(originSecretVersion ? { originSecretVersion } : {}),
    throttle: {
      rateLimit: positiveNumber(node, 'throttleRateLimit', defaultThrottle.rateLimit),
      burstLimit: positiveNumber(node, 'throttleBurstLimit', defaultThrottle.burstLimit),
    },
    receiptRouteThrottle: {
      rateLimit: positiveNumber(
        node,
        'receiptThrottleRateLimit',
        defaultReceiptRouteThrottle.rateLimit,
      ),
      burstLimit: positiveNumber(
        node,
        'receiptThrottleBurstLimit',
        defaultReceiptRouteThrottle.burstLimit,
      ),
    },
  };
  checkProfile(config);
  return config;
}

/** A Secrets Manager VersionId: 32 to 64 characters (a UUID when Secrets Manager makes it). */
const secretVersionId = /^[A-Za-z0-9-]{32,64}$/;

function originSecretVersionFrom(node: Node, cdn: CdnMode): string | undefined {
  const version = optionalString(node, 'originSecretVersion');
  if (!version) return undefined;
  if (cdn !== 'cloudfront') {
    throw new Error(
      'Context "originSecretVersion" 只用于 CloudFront 前置 API 的部署（cdn "cloudfront"）。' +
        ' / "originSecretVersion" only applies with cdn "cloudfront": without CloudFront ' +
        'there is no origin verification secret.',
    );
  }
  if (!secretVersionId.test(version)) {
    throw new Error(
      `Context "originSecretVersion" 须为密钥版本 ID（VersionId，32–64 个字母、数字或 -），收到 ${version}。` +
        ` / "originSecretVersion" must be a secret's VersionId (32-64 letters, digits or -), got ${version}.`,
    );
  }
  return version;
}

/** A rate-based rule's limit from context: WAF takes integers from 10 up. */
function wafRateLimit(node: Node, key: string, fallback: number): number {
  const limit = positiveNumber(node, key, fallback);
  if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
    throw new Error(
      `Context "${key}" must be an integer of at least 10 (WAF minimum) and at most 2000000000`,
    );
  }
  return limit;
}

/**
 * Context createWebAcl=true (and optionally webAclTipRateLimit, webAclLookupRateLimit)
 * asks bin/app.ts for the QinglingWebAcl stack in us-east-1; its output WebAclArn then
 * goes into context webAclArn for the main stack. A web ACL only makes sense in front of
 * CloudFront.
 */
export function webAclFromContext(node: Node): WebAclConfig | undefined {
  if (!flag(node, 'createWebAcl')) return undefined;
  if (cdnFromContext(node) !== 'cloudfront') {
    throw new Error('Context "createWebAcl" needs cdn "cloudfront": a web ACL attaches to it');
  }
  if (node.tryGetContext('webAclRateLimit') !== undefined) {
    throw new Error(
      'Context "webAclRateLimit" (one limit for all of /api/tips*) is gone: the web ACL ' +
        'limits tip submission and receipt look-ups apart. Pass -c webAclTipRateLimit=... ' +
        'and/or -c webAclLookupRateLimit=... instead.',
    );
  }
  return {
    tipRateLimit: wafRateLimit(node, 'webAclTipRateLimit', defaultWebAclTipRateLimit),
    lookupRateLimit: wafRateLimit(node, 'webAclLookupRateLimit', defaultWebAclLookupRateLimit),
  };
}
