import { describe, expect, it } from 'vitest';
import { createAccessLink, importLinkKey, verifyAccessLink } from './access-link.ts';

const rawKey = new Uint8Array(32).map((_, index) => index * 7 + 1);
const expiresAt = new Date('2026-12-01T00:00:00.000Z');
const before = new Date('2026-11-20T08:00:00.000Z');

/** base64url of a text, written independently of the module under test. */
const base64Url = (text: string) => Buffer.from(text).toString('base64url');

describe('the enterprise principal’s access link', () => {
  it('opens the hazard it was made for', async () => {
    const key = await importLinkKey(rawKey);
    const token = await createAccessLink(key, { hazardId: 'h-2026-0001', expiresAt });
    expect(await verifyAccessLink(key, token, before)).toEqual({
      valid: true,
      hazardId: 'h-2026-0001',
    });
  });

  it('is URL-safe, with no +, / or =', async () => {
    const key = await importLinkKey(rawKey);
    let plainBase64 = '';
    for (const hazardId of ['h>>>?', 'h~~~', 'h1', 'h12', 'h123', '隐患一']) {
      const token = await createAccessLink(key, { hazardId, expiresAt });
      expect(token, hazardId).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      for (const part of token.split('.')) {
        plainBase64 += Buffer.from(part, 'base64url').toString('base64');
      }
    }
    // The same bytes in plain base64 would have needed all three.
    expect(plainBase64).toMatch(/\+/);
    expect(plainBase64).toMatch(/\//);
    expect(plainBase64).toMatch(/=/);
  });

  it('refuses a payload changed to another hazard', async () => {
    const key = await importLinkKey(rawKey);
    const token = await createAccessLink(key, { hazardId: 'h1', expiresAt });
    const [, signature] = token.split('.');
    const forged = base64Url(JSON.stringify({ h: 'h2', e: expiresAt.getTime() / 1000, v: 1 }));
    expect(await verifyAccessLink(key, `${forged}.${signature}`, before)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a token signed with another key', async () => {
    const token = await createAccessLink(await importLinkKey(rawKey), {
      hazardId: 'h1',
      expiresAt,
    });
    const otherKey = await importLinkKey(new Uint8Array(32).fill(9));
    expect(await verifyAccessLink(otherKey, token, before)).toEqual({
      valid: false,
      reason: 'bad_signature',
    });
  });

  it('is valid through its expiry second and refused from the next one', async () => {
    const key = await importLinkKey(rawKey);
    const token = await createAccessLink(key, { hazardId: 'h1', expiresAt });
    const at = (milliseconds: number) =>
      verifyAccessLink(key, token, new Date(expiresAt.getTime() + milliseconds));
    expect((await at(0)).valid).toBe(true);
    expect((await at(999)).valid).toBe(true);
    expect(await at(1000)).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuses garbage as malformed', async () => {
    const key = await importLinkKey(rawKey);
    const token = await createAccessLink(key, { hazardId: 'h1', expiresAt });
    const [payload = '', signature = ''] = token.split('.');
    const garbage = [
      '',
      '.',
      'not a token',
      payload,
      `${payload}.`,
      `${payload}.${signature}.${signature}`,
      `${payload}.${signature.slice(0, -1)}+`,
      `${payload}=.${signature}`,
      `${payload}.a`,
      `${payload}.${signature}${'A'.repeat(1024)}`,
    ];
    for (const candidate of garbage) {
      expect(await verifyAccessLink(key, candidate, before), candidate).toEqual({
        valid: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses another spelling of the same signature', async () => {
    const key = await importLinkKey(rawKey);
    const token = await createAccessLink(key, { hazardId: 'h1', expiresAt });
    // 32 bytes make 43 characters whose last two bits are unused: set one of them.
    const [payload = '', signature = ''] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) ?? '');
    const respelled = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect((await verifyAccessLink(key, `${payload}.${respelled}`, before)).valid).toBe(false);
  });

  it('refuses a signed payload it does not understand', async () => {
    const key = await importLinkKey(rawKey);
    const payload = base64Url(JSON.stringify({ h: 'h1', e: expiresAt.getTime() / 1000, v: 2 }));
    const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload));
    const token = `${payload}.${Buffer.from(signature).toString('base64url')}`;
    expect(await verifyAccessLink(key, token, before)).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });

  it('refuses a short key, an empty hazard id and an invalid expiry', async () => {
    await expect(importLinkKey(new Uint8Array(31))).rejects.toThrow(RangeError);
    const key = await importLinkKey(rawKey);
    await expect(createAccessLink(key, { hazardId: '', expiresAt })).rejects.toThrow(RangeError);
    await expect(
      createAccessLink(key, { hazardId: 'h1', expiresAt: new Date('not a date') }),
    ).rejects.toThrow(RangeError);
  });
});
