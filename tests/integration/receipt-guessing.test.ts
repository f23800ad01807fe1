import {
  proofChallengeHeader,
  proofHeader,
  solveChallenge,
} from '@qingling/shared/api/proof-of-work.ts';
import { receiptFromDigits } from '@qingling/shared/tips/receipt.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';
import { validTip } from '../support/tips.ts';

// Issue 17, items 1 and 13. Time moves only when a test moves it; puzzles are easy (8 bits)
// so that solving one takes no real time, and the rules are the same as at 18 bits.
const clock = new ManualClock('2026-12-01T08:00:00.000Z');
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
beforeAll(async () => {
  // No per-address limit to speak of: guesses from any number of addresses.
  cloud = await startTestCloud({ publicRequestsPerMinute: 1_000_000, clock, proofOfWorkBits: 8 });
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  challenge: string | null;
}

async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer & { body: { receipt?: string; error?: { code: string } } }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { receipt?: string; error?: { code: string } };
  return {
    status: response.status,
    code: parsed.error?.code,
    retryAfter: response.headers.get('retry-after'),
    challenge: response.headers.get(proofChallengeHeader),
    body: parsed,
  };
}

/** What the web pages do: on a 429 that carries a puzzle, solve it and send again. */
async function postAsBrowser(base: string, path: string, body: unknown) {
  const first = await post(base, path, body);
  if (first.status !== 429 || !first.challenge) return first;
  return post(base, path, body, { [proofHeader]: await solveChallenge(first.challenge) });
}

let guessCounter = 0;
/** A well-formed receipt (valid check digits) that belongs to no tip. */
const wrongReceipt = () => {
  guessCounter += 1;
  return receiptFromDigits(String(5_000_000_000_000_000 + guessCounter).slice(0, 16));
};
const lookup = (receipt: string, headers: Record<string, string> = {}) =>
  post(cloud.url, '/api/tips/lookup', { receipt }, headers);
/** What a guesser learns from an answer: 200 is a hit, 404 a miss; the rest tells nothing. */
const distinguishing = (answer: Answer) => answer.status === 200 || answer.status === 404;

describe('receipt guessing past the deployment-wide cap', () => {
  it('gives no answer that tells a right receipt from a wrong one, whatever the addresses', async () => {
    const receipts: string[] = [];
    for (let tip = 0; tip < 5; tip += 1) {
      const created = await post(cloud.url, '/api/tips', validTip());
      receipts.push(created.body.receipt ?? '');
    }
    clock.set('2026-12-01T08:10:05.000Z');
    // 300 guesses in one minute, the five real receipts among them after the budget (30).
    const answers: Answer[] = [];
    const real = new Set([60, 120, 180, 240, 299]);
    let realAsked = 0;
    for (let index = 0; index < 300; index += 1) {
      const receipt = real.has(index) ? (receipts[realAsked++] ?? '') : wrongReceipt();
      answers.push(await lookup(receipt));
    }
    expect(answers.filter(distinguishing).length).toBeLessThanOrEqual(30);
    const pastCap = answers.slice(30);
    // Right and wrong receipts alike: one answer, 429 with a Retry-After and a puzzle.
    for (const index of real) {
      expect(answers[index]?.status, `real receipt at ${index}`).toBe(429);
    }
    expect(new Set(pastCap.map((answer) => `${answer.status} ${answer.code}`))).toEqual(
      new Set(['429 too_many_attempts']),
    );
    expect(pastCap.every((answer) => /^\d+$/.test(answer.retryAfter ?? ''))).toBe(true);
    expect(pastCap.every((answer) => answer.challenge)).toBe(true);

    // Guessers who do solve the puzzles get no more than the proven budget (30) a minute,
    // and a solved puzzle counts once.
    const proven: Answer[] = [];
    for (let index = 0; index < 60; index += 1) {
      const refused = await lookup(wrongReceipt());
      const proof = await solveChallenge(refused.challenge ?? '');
      proven.push(await lookup(wrongReceipt(), { [proofHeader]: proof }));
      if (index === 0) {
        const again = await lookup(wrongReceipt(), { [proofHeader]: proof });
        expect(again.status).toBe(429);
      }
    }
    expect(proven.filter(distinguishing).length).toBeLessThanOrEqual(30);
    expect(proven.slice(30).every((answer) => answer.status === 429)).toBe(true);
  });

  it('lets the holder of a real receipt through within two minutes while guessing goes on', async () => {
    const created = await post(cloud.url, '/api/tips', validTip());
    const receipt = created.body.receipt ?? '';
    clock.set('2026-12-01T09:20:30.000Z');
    const start = clock.now().getTime();
    // Guessers from many addresses keep the budget used up: 40 guesses every 5 s.
    const guessing = async () => {
      for (let guess = 0; guess < 40; guess += 1) await lookup(wrongReceipt());
    };
    await guessing();
    // The holder's first try looks like any guess past the cap.
    const first = await lookup(receipt);
    expect(first.status).toBe(429);
    expect(first.challenge).toBeTruthy();
    let opened: Awaited<ReturnType<typeof postAsBrowser>> | undefined;
    while (clock.now().getTime() - start <= 120_000) {
      await guessing();
      const answer = await postAsBrowser(cloud.url, '/api/tips/lookup', { receipt });
      if (answer.status === 200) {
        opened = answer;
        break;
      }
      clock.advance(5_000);
    }
    expect(opened?.status, 'the holder got through within two simulated minutes').toBe(200);
    // The follow-up's other routes take the same way in: a message to the office.
    await guessing();
    const message = await postAsBrowser(cloud.url, '/api/tips/messages', {
      receipt,
      idempotencyKey: crypto.randomUUID(),
      text: '补充：晚上八点以后最严重。',
    });
    expect(message.status).toBe(201);
  });
});

describe('the per-address limit behind one NAT address', () => {
  it('asks for a puzzle instead of locking out: 30 people behind one address report within an hour', async () => {
    const natClock = new ManualClock('2026-12-01T10:00:00.000Z');
    const factory = await startTestCloud({
      publicRequestsPerMinute: 10,
      clock: natClock,
      proofOfWorkBits: 8,
    });
    try {
      const deadline = natClock.now().getTime() + 3600_000;
      // Something else behind the same address (a misbehaving device, or an abuser) uses up
      // the address's budget at the start of every minute.
      const flood = async () => {
        for (let request = 0; request < 15; request += 1) {
          await post(factory.url, '/api/tips/lookup', { receipt: '1' });
        }
      };
      const submitted: number[] = [];
      for (let person = 0; person < 30 && natClock.now().getTime() < deadline; person += 1) {
        natClock.advance(60_000);
        while (natClock.now().getTime() < deadline) {
          await flood();
          const answer = await postAsBrowser(factory.url, '/api/tips', validTip());
          if (answer.status === 201) {
            submitted.push(person);
            break;
          }
          // No way in now: come back when told to (the flood is back first).
          natClock.advance(Number(answer.retryAfter ?? 60) * 1000);
        }
      }
      expect(submitted).toHaveLength(30);
    } finally {
      await factory.stop();
      await factory.removeData();
    }
  });
});
