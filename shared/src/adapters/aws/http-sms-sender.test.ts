import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SmsMessage } from '../../ports/outbox.ts';
import { DeliveryFailed, loggableReason } from './channel-notifier.ts';
import { HttpSmsSender, smsRequestSignature, smsSignatureHeader } from './http-sms-sender.ts';

const secrets = mockClient(SecretsManagerClient);
const secretId = 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:sms-AbCdEf';
const secret = 'Zm9yIHRoZSBTTVMgcHJvdmlkZXIgb25seSBub3QgZm9yIGFueW9uZSBlbHNlMDEy';

const message: SmsMessage = {
  to: '+8613800138000',
  text: '【清零】函告：仓库。隐患“消防通道堵塞”请按要求处理。编号：0ABCDEF',
  key: 'H1#1#notice_letter#department_head',
};

// A provider on a loopback port: it records each request and answers as told.
interface Received {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}
let received: Received[];
let answer: (request: Received) => { status: number } | 'hang';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got = {
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(got);
      const reply = answer(got);
      if (reply === 'hang') return;
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end('{"code":"OK"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: secret });
  received = [];
  answer = () => ({ status: 200 });
});

const sender = (options: { timeoutMs?: number } = {}) =>
  new HttpSmsSender({ url, secretId, client: new SecretsManagerClient({}), ...options });

/** What a provider does: HMAC-SHA256 of the raw body under the shared secret, compared. */
function verifies(request: Received, key: string): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', key).update(request.body).digest('hex')}`,
  );
  const given = Buffer.from(String(request.headers[smsSignatureHeader]));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('HttpSmsSender', () => {
  it('posts {to, text, key} as JSON, signed with the secret', async () => {
    await sender().send(message);

    expect(received).toHaveLength(1);
    const [request] = received as [Received];
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/sms/send');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request.body)).toEqual(message);
    expect(request.headers[smsSignatureHeader]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifies(request, secret)).toBe(true);
    expect(verifies(request, 'another secret')).toBe(false);
    expect(smsRequestSignature(request.body, secret)).toBe(request.headers[smsSignatureHeader]);
  });

  it('carries an Idempotency-Key per message and number, the same on a retry', async () => {
    const sms = sender();
    await sms.send(message);
    await sms.send(message);
    await sms.send({ ...message, to: '+8613900139000' });
    await sms.send({ ...message, key: 'H2#1#复查#x' });
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      'H1#1#notice_letter#department_head#+8613800138000',
      'H1#1#notice_letter#department_head#+8613800138000',
      'H1#1#notice_letter#department_head#+8613900139000',
      // A header holds ASCII alone: anything else is percent-encoded.
      'H2#1#%E5%A4%8D%E6%9F%A5#x#+8613800138000',
    ]);
  });

  it('reads the secret once for many messages', async () => {
    const sms = sender();
    await Promise.all([sms.send(message), sms.send({ ...message, key: 'H2#1#reminder#x' })]);
    await sms.send(message);
    expect(received).toHaveLength(3);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('fails on an answer other than 2xx, naming the status and nothing of the message', async () => {
    answer = () => ({ status: 502 });
    const error = await sender()
      .send(message)
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DeliveryFailed);
    expect(loggableReason(error)).toBe('SMS provider answered HTTP 502');
    expect(String(error)).not.toMatch(/13800138000|127\.0\.0\.1|消防/);
  });

  it('reads the secret again after the provider refuses the signature', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'the old secret' })
      .resolves({ SecretString: secret });
    answer = (request) => ({ status: verifies(request, secret) ? 204 : 401 });
    const sms = sender();
    await expect(sms.send(message)).rejects.toThrow('SMS provider answered HTTP 401');
    await sms.send(message);
    expect(received.map((request) => verifies(request, secret))).toEqual([false, true]);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not cache a failed read of the secret, and posts nothing without it', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: secret });
    const sms = sender();
    await expect(sms.send(message)).rejects.toThrow('no such secret');
    expect(received).toHaveLength(0);
    await sms.send(message);
    expect(received).toHaveLength(1);
  });

  it('refuses a secret with no string', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(sender().send(message)).rejects.toThrow(/holds no string/);
    expect(received).toHaveLength(0);
  });

  it('gives up on a provider that does not answer in time', async () => {
    answer = () => 'hang';
    const error = await sender({ timeoutMs: 200 })
      .send(message)
      .catch((thrown: unknown) => thrown);
    expect(loggableReason(error)).toBe('TimeoutError');
  });

  it('needs an https URL and a secret', () => {
    expect(() => new HttpSmsSender({ url: 'http://sms.example.cn/send', secretId })).toThrow(
      /https/,
    );
    expect(() => new HttpSmsSender({ url: 'https://sms.example.cn/send', secretId: '' })).toThrow(
      /secret id/,
    );
    expect(() => new HttpSmsSender({ url: 'https://sms.example.cn/send', secretId })).not.toThrow();
  });
});
