import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from './json.ts';
import { OriginGate, originGate, originSecretCacheMs } from './origin-gate.ts';

const event = (headers: Record<string, string>) => ({ headers }) as unknown as ApiEvent;

/** A gate over values the test changes, counting its reads, on a clock the test moves. */
function gateOver(values: string[]) {
  const state = { values, reads: 0, now: 0, failNext: false };
  const gate = new OriginGate({
    header: 'X-Origin-Verify',
    readValues: async () => {
      state.reads += 1;
      if (state.failNext) {
        state.failNext = false;
        throw new Error('unreachable');
      }
      return [...state.values];
    },
    now: () => state.now,
  });
  return { gate, state };
}

describe('the origin gate', () => {
  it('admits the current or the previous value, nothing else, nothing missing', async () => {
    const { gate } = gateOver(['current-value', 'previous-value']);
    expect(await gate.admits(event({ 'x-origin-verify': 'current-value' }))).toBe(true);
    expect(await gate.admits(event({ 'x-origin-verify': 'previous-value' }))).toBe(true);
    expect(await gate.admits(event({ 'x-origin-verify': 'current-valu' }))).toBe(false);
    expect(await gate.admits(event({ 'x-origin-verify': '' }))).toBe(false);
    expect(await gate.admits(event({}))).toBe(false);
  });

  it('reads the secret once per cache period, so a rotation takes effect within it', async () => {
    const { gate, state } = gateOver(['first']);
    expect(await gate.admits(event({ 'x-origin-verify': 'first' }))).toBe(true);
    state.values = ['second', 'first'];
    state.now = originSecretCacheMs - 1;
    expect(await gate.admits(event({ 'x-origin-verify': 'second' }))).toBe(false);
    expect(state.reads).toBe(1);
    state.now = originSecretCacheMs;
    expect(await gate.admits(event({ 'x-origin-verify': 'second' }))).toBe(true);
    expect(state.reads).toBe(2);
  });

  it('does not keep a failed read: the next request reads again', async () => {
    const { gate, state } = gateOver(['value']);
    state.failNext = true;
    await expect(gate.admits(event({ 'x-origin-verify': 'value' }))).rejects.toThrow();
    expect(await gate.admits(event({ 'x-origin-verify': 'value' }))).toBe(true);
    expect(state.reads).toBe(2);
  });

  it('hands handlers the headers without the secret one', () => {
    const { gate } = gateOver(['value']);
    expect(gate.withoutSecret({ 'x-origin-verify': 'value', accept: 'application/json' })).toEqual({
      accept: 'application/json',
    });
  });

  it('is off without its variables (China profile, embedded cloud), and wants both', () => {
    try {
      vi.stubEnv('ORIGIN_VERIFY_SECRET_ARN', undefined);
      vi.stubEnv('ORIGIN_VERIFY_HEADER', undefined);
      expect(originGate()).toBeUndefined();
      vi.stubEnv('ORIGIN_VERIFY_HEADER', 'x-origin-verify');
      expect(() => originGate()).toThrow(/go together/);
      vi.stubEnv('ORIGIN_VERIFY_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:1:secret:o');
      expect(originGate()).toBeInstanceOf(OriginGate);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
