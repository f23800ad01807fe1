import * as z from 'zod/mini';
import { said, validate, withMeta } from '../api/validation.ts';
import type { Recipient } from '../hazards/escalation.ts';

/** One way to reach a recipient. A phone is the 11-digit mainland number, without +86. */
export type Contact =
  | { kind: 'email'; address: string }
  | { kind: 'sms'; phone: string }
  | { kind: 'wecom'; url: string }
  | { kind: 'dingtalk'; url: string; secret?: string | undefined };

/**
 * Who a notification's `to` reaches: the lifecycle addresses a role where it is,
 * `${recipient}@${jurisdiction}` (an enterprise's roles at its record there), and a
 * deployment says who that is. An empty answer means nobody: the notifier treats that as
 * a configuration error.
 */
export interface ContactDirectory {
  resolve(to: string): Promise<Contact[]>;
}

// A Record, so that a recipient added to the ladder must be added here too; and the reward
// officers, whom a tip's lifecycle reminds of a reward notice due.
const recipients: Record<Recipient | 'reward_officer', true> = {
  enterprise_principal: true,
  enterprise_controller: true,
  assigned_officer: true,
  jurisdiction_departments: true,
  department_head: true,
  leader_in_charge: true,
  principal_leader: true,
  public_page: true,
  reward_officer: true,
};

// In a module of its own so that readers of policies do not bundle the contact schemas.
export {
  type JurisdictionRecipient,
  jurisdictionRecipients,
} from './jurisdiction-recipients.ts';

/**
 * The recipient and the place of a `to`: a jurisdiction's code, or for an enterprise's people
 * `<jurisdiction>/<credit code>` (the register entry of that jurisdiction).
 */
export function addressParts(to: string): { recipient: string; place: string } | undefined {
  const [recipient = '', place = '', ...rest] = to.split('@');
  if (!recipient || !place || rest.length) return undefined;
  return { recipient, place };
}

const addressSchema = z.string().check(
  z.refine((to) => {
    const parts = addressParts(to);
    return Boolean(
      parts && Object.hasOwn(recipients, parts.recipient) && /^\S+$/.test(parts.place),
    );
  }),
);
const addressError = `must be "recipient@jurisdiction", the recipient one of ${Object.keys(recipients).join(', ')}`;

const webhookUrl = z.url({
  protocol: /^https$/,
  ...said(
    '须为 https:// 开头的群机器人 Webhook 地址。',
    'This must be an https:// webhook URL (a group robot).',
  ),
});

/**
 * One contact, as a deployment's configuration or an administrator gives it (one schema for
 * both). Messages never repeat the value: errors are logged, and the values are personal
 * data. A phone may be typed with +86, spaces, dashes or full-width digits.
 */
export const contactSchema = withMeta(
  z.discriminatedUnion(
    'kind',
    [
      z.object({
        kind: z.literal('email'),
        address: z
          .email(said('须为电子邮件地址。', 'This must be an e-mail address.'))
          .check(z.maxLength(254, said('电子邮件地址过长。', 'This e-mail address is too long.'))),
      }),
      z.object({
        kind: z.literal('sms'),
        phone: z.pipe(
          z.pipe(
            z.string(),
            z.transform((phone) =>
              phone.normalize('NFKC').replace(/[\s-]/g, '').replace(/^\+86/, ''),
            ),
          ),
          z
            .string()
            .check(
              z.regex(
                /^1[3-9]\d{9}$/,
                said(
                  '须为 11 位中国大陆手机号码。',
                  'This must be a mainland mobile number (11 digits).',
                ),
              ),
            ),
        ),
      }),
      z.object({ kind: z.literal('wecom'), url: webhookUrl }),
      z.object({
        kind: z.literal('dingtalk'),
        url: webhookUrl,
        secret: z.optional(
          z
            .string()
            .check(
              z.minLength(1, said('加签密钥不能为空。', 'The signing secret cannot be empty.')),
              z.maxLength(256, said('加签密钥过长。', 'The signing secret is too long.')),
            ),
        ),
      }),
    ],
    said(
      '联系方式的种类须为 email（邮件）、sms（短信）、wecom（企业微信群机器人）或 dingtalk（钉钉群机器人）。',
      "A contact's kind must be email, sms, wecom (a WeCom group robot) or dingtalk (a DingTalk group robot).",
    ),
  ),
  { id: 'ContactInput' },
);

const contactDirectorySchema = z.record(addressSchema, z.array(contactSchema), {
  error: (issue) => (issue.code === 'invalid_key' ? addressError : undefined),
});

/** A directory written out in full, e.g. from a deployment's configuration. */
export class StaticContactDirectory implements ContactDirectory {
  private readonly contacts: ReadonlyMap<string, readonly Contact[]>;

  /** Refuses the whole directory on a bad entry: a typo must not silence a recipient. */
  constructor(entries: unknown) {
    const parsed = validate(contactDirectorySchema, entries);
    if (!parsed.success) {
      const problems = parsed.issues.map(
        (issue) => `✖ ${issue.message.en}${issue.path ? `\n  → at ${issue.path}` : ''}`,
      );
      throw new Error(`The contact directory is invalid:\n${problems.join('\n')}`);
    }
    this.contacts = new Map(Object.entries(parsed.data));
  }

  async resolve(to: string): Promise<Contact[]> {
    return [...(this.contacts.get(to) ?? [])];
  }
}

/**
 * Several directories as one: every contact any of them has for an address, in their
 * order, each once (the same phone listed by the register and by the configuration is
 * texted once). A directory that cannot answer fails the whole answer: the caller retries
 * rather than telling fewer people.
 */
export class MergedContactDirectory implements ContactDirectory {
  private readonly directories: readonly ContactDirectory[];

  constructor(directories: readonly ContactDirectory[]) {
    this.directories = directories;
  }

  async resolve(to: string): Promise<Contact[]> {
    const answers = await Promise.all(this.directories.map((directory) => directory.resolve(to)));
    const seen = new Set<string>();
    return answers.flat().filter((contact) => {
      const key = JSON.stringify(contact);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}
