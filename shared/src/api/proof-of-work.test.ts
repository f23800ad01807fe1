import { describe, expect, it } from 'vitest';
import {
  checkProof,
  issueChallenge,
  leadingZeroBits,
  proofKeyFrom,
  solveChallenge,
} from './proof-of-work.ts';

const now = new Date('2026-12-01T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('proof of work', () => {
  it('accepts a solved puzzle of its own, and nothing else', async () => {
    const key = await proofKeyFrom(new Uint8Array(32).fill(7));
    const challenge = await issueChallenge(key, now, 8);
    const proof = await solveChallenge(challenge);
    expect(await checkProof(key, proof, later(1000), 8)).toMatchObject({
      expiresAt: later(600_000),
    });
    // Another deployment's key, too late, easier than asked, a wrong answer, made up.
    const other = await proofKeyFrom(new Uint8Array(32).fill(8));
    expect(await checkProof(other, proof, later(1000), 8)).toBeNull();
    expect(await checkProof(key, proof, later(600_001), 8)).toBeNull();
    expect(await checkProof(key, proof, later(1000), 9)).toBeNull();
    const answer = Number(proof.split(':')[1]);
    let wrong = answer + 1;
    while (
      leadingZeroBits(
        new Uint8Array(
          await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${challenge}:${wrong}`)),
        ),
      ) >= 8
    )
      wrong += 1;
    expect(await checkProof(key, `${challenge}:${wrong}`, later(1000), 8)).toBeNull();
    expect(await checkProof(key, 'ask', later(1000), 8)).toBeNull();
  });

  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0x0f]))).toBe(12);
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });
});
