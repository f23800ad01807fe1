import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SmsMessage, SmsSender } from '../../ports/outbox.ts';
import { DeliveryFailed } from './channel-notifier.ts';

/** The header that carries the request's signature: `sha256=` and 64 hex digits. */
export const smsSignatureHeader = 'x-qingling-signature';

/**
 * The signature of a request body: HMAC-SHA256 of the body's UTF-8 bytes, keyed with the
 * secret's string (its UTF-8 bytes), in lower-case hex after `sha256=`. A provider
 * recomputes it over the raw body it received and compares in constant time.
 */
export function smsRequestSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The header a provider drops a repeated request by: the notification's key and the
 * number, as one key may go to several numbers of a recipient, one request each. Header
 * values are ASCII: anything else in the key is percent-encoded.
 */
export const smsIdempotencyHeader = 'idempotency-key';

export function smsIdempotencyKey(message: SmsMessage): string {
  return `${message.key}#${message.to}`.replace(/[^\x21-\x7e]+/gu, (run) =>
    encodeURIComponent(run),
  );
}

export interface HttpSmsSenderOptions {
  /** The provider's endpoint: https (http only to a loopback address, for tests). */
  url: string;
  /** The Secrets Manager secret whose string keys the signature. */
  secretId: string;
  client?: SecretsManagerClient;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * SMS through an HTTP provider, where SNS sends no SMS (the China regions): each message
 * is a POST of JSON `{to, text, key}` (`to` in E.164, +86…) with the signature header
 * (smsRequestSignature) and an Idempotency-Key (smsIdempotencyKey). Any 2xx answer means
 * accepted; anything else, a network error or no answer within the timeout is a
 * DeliveryFailed (or the error's name), and the queue retries: the provider drops a
 * duplicate by its idempotency key, as a replayed request also carries a key it has seen. The secret is read once per Lambda instance, again after a failed read
 * and after the provider refuses the signature (401, 403: the secret may have been
 * replaced). Errors never hold the number, the text, the URL or the secret.
 */
export class HttpSmsSender implements SmsSender {
  private readonly url: string;
  private readonly secretId: string;
  private readonly client: SecretsManagerClient;
  private readonly post: typeof fetch;
  private readonly timeoutMs: number;
  private secret: Promise<string> | undefined;

  constructor(options: HttpSmsSenderOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback.has(url.hostname))) {
      throw new Error('HttpSmsSender needs an https URL');
    }
    if (!options.secretId) throw new Error('HttpSmsSender needs a secret id');
    this.url = url.href;
    this.secretId = options.secretId;
    this.client = options.client ?? new SecretsManagerClient({});
    this.post = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(message: SmsMessage): Promise<void> {
    const secret = await this.signingSecret();
    const body = JSON.stringify({ to: message.to, text: message.text, key: message.key });
    const response = await this.post(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        [smsSignatureHeader]: smsRequestSignature(body, secret),
        // The same on every retry: a request that timed out may have been sent after all.
        [smsIdempotencyHeader]: smsIdempotencyKey(message),
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // Nothing of the answer is needed: free the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403) this.secret = undefined;
    if (!response.ok) throw new DeliveryFailed(`SMS provider answered HTTP ${response.status}`);
  }

  private signingSecret(): Promise<string> {
    this.secret ??= this.load().catch((error: unknown) => {
      this.secret = undefined;
      throw error;
    });
    return this.secret;
  }

  private async load(): Promise<string> {
    const answer = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!answer.SecretString) {
      throw new DeliveryFailed(`The SMS provider secret ${this.secretId} holds no string`);
    }
    return answer.SecretString;
  }
}
