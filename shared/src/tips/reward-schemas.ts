import * as z from 'zod/mini';
import { idempotencyKey, maxRecordVersion, said, text, withMeta } from '../api/validation.ts';
import { receiptSchema, rewardForTipsterSchema } from './schemas.ts';

/** The bodies of the reward routes (reward-routes.ts). Amounts are integer fen. */

/** A bank account in mainland China: 12 to 30 digits (spaces typed in are dropped). */
const accountNumber = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(64)),
    z.transform((value) => value.normalize('NFKC').replace(/[\s-]/g, '')),
  ),
  z
    .string()
    .check(
      z.regex(
        /^\d{12,30}$/,
        said('银行账号应为 12 至 30 位数字。', 'The account number is 12 to 30 digits.'),
      ),
    ),
);

export const bankDetailsSchema = withMeta(
  z.strictObject({
    accountName: withMeta(text({ min: 2, max: 50 }), { description: '户名' }),
    bankName: withMeta(text({ min: 2, max: 100 }), { description: '开户行' }),
    accountNumber,
  }),
  { id: 'BankDetails' },
);

export const claimRewardSchema = withMeta(
  z.discriminatedUnion('method', [
    z.strictObject({ receipt: receiptSchema, idempotencyKey, method: z.literal('in_person') }),
    z.strictObject({
      receipt: receiptSchema,
      idempotencyKey,
      method: z.literal('bank_transfer'),
      bank: bankDetailsSchema,
    }),
  ]),
  { id: 'ClaimReward' },
);

export const rewardClaimedSchema = withMeta(
  z.object({
    reward: rewardForTipsterSchema,
    claimCode: withMeta(z.optional(z.string()), {
      description:
        'For a claim in person: the code to show when collecting. Shown to the tipster only; the office keeps a keyed hash of it.',
    }),
    duplicate: z.boolean(),
  }),
  { id: 'RewardClaimed' },
);

const revisionSeen = z.number().check(z.int(), z.gte(1), z.lte(maxRecordVersion));

export const computeRewardSchema = withMeta(
  z.strictObject({
    idempotencyKey,
    expectedRevision: revisionSeen,
    adjustedAmountFen: z.optional(
      z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
    ),
    reason: z.optional(text({ min: 1, max: 1000, multiline: true })),
  }),
  { id: 'ComputeReward' },
);

export const approveRewardSchema = withMeta(
  z.strictObject({ idempotencyKey, expectedRevision: revisionSeen }),
  { id: 'ApproveReward' },
);

export const openPaymentDetailsSchema = withMeta(z.strictObject({ idempotencyKey }), {
  id: 'OpenPaymentDetails',
});

export const paymentDetailsSchema = withMeta(
  z.object({ accountName: z.string(), bankName: z.string(), accountNumber: z.string() }),
  { id: 'PaymentDetails' },
);
