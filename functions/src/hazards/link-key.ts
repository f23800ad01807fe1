import { importLinkKey } from '@qingling/shared/enterprises/access-link.ts';
import { hmac } from '@qingling/shared/tips/keys.ts';
import * as dependencies from '../dependencies.ts';

let cached: { raw: Uint8Array; key: CryptoKey } | undefined;

/**
 * The key that signs enterprise links, derived from the deployment's receipt secret with
 * a label of its own (HMAC-SHA256 as a key derivation), so that one secret serves both
 * without a link ever being usable as, or revealing, anything about receipts. In a module
 * of its own: the lifecycle's Escalate function signs links too, and bundles no more.
 */
export async function linkKey(): Promise<CryptoKey> {
  return linkKeyFrom(await dependencies.receiptKeys().receiptKey());
}

/** The link key of a receipt secret (the embedded cloud's lifecycles hold the secret). */
export async function linkKeyFrom(raw: Uint8Array): Promise<CryptoKey> {
  if (cached?.raw === raw) return cached.key;
  const derived = await hmac(raw, 'qingling:enterprise-link');
  cached = { raw, key: await importLinkKey(derived) };
  return cached.key;
}
