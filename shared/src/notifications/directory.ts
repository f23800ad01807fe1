import * as z from 'zod';
import type { Recipient } from '../hazards/escalation.ts';

/** One way to reach a recipient. A phone is the 11-digit mainland number, without +86. */
export type Contact =
  | { kind: 'email'; address: string }
  | { kind: 'sms'; phone: string }
  | { kind: 'wecom'; url: string }
  | { kind: 'dingtalk'; url: string; secret?: string | undefined };

/**
 * Who a notification's `to` reaches: the lifecycle addresses a role where it is,
 * `${recipient}@${jurisdiction}` (an enterprise's roles perhaps at the enterprise), and a
 * deployment says who that is. An empty answer means nobody: the notifier treats that as
 * a configuration error.
 */
export interface ContactDirectory {
  resolve(to: string): Promise<Contact[]>;
}

// A Record, so that a recipient added to the ladder must be added here too.
const recipients: Record<Recipient, true> = {
  enterprise_principal: true,
  enterprise_controller: true,
  assigned_officer: true,
  jurisdiction_departments: true,
  department_head: true,
  leader_in_charge: true,
  principal_leader: true,
  public_page: true,
};

const addressSchema = z.string().refine((to) => {
  const [recipient = '', jurisdiction = '', ...rest] = to.split('@');
  return Object.hasOwn(recipients, recipient) && /^[^\s@]+$/.test(jurisdiction) && !rest.length;
});
const addressError = `must be "recipient@jurisdiction", the recipient one of ${Object.keys(recipients).join(', ')}`;

const webhookUrl = z.url({
  protocol: /^https$/,
  error: 'must be an https:// webhook URL',
});

// Messages never repeat the value: the error is logged, and the values are personal data.
const contactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), address: z.email({ error: 'must be an e-mail address' }) }),
  z.object({
    kind: z.literal('sms'),
    phone: z
      .string()
      .transform((phone) => phone.replace(/[\s-]/g, '').replace(/^\+86/, ''))
      .pipe(z.string().regex(/^1[3-9]\d{9}$/, { error: 'must be a mainland mobile number' })),
  }),
  z.object({ kind: z.literal('wecom'), url: webhookUrl }),
  z.object({ kind: z.literal('dingtalk'), url: webhookUrl, secret: z.string().min(1).optional() }),
]);

const contactDirectorySchema = z.record(addressSchema, z.array(contactSchema), {
  error: (issue) => (issue.code === 'invalid_key' ? addressError : undefined),
});

/** A directory written out in full, e.g. from a deployment's configuration. */
export class StaticContactDirectory implements ContactDirectory {
  private readonly contacts: ReadonlyMap<string, readonly Contact[]>;

  /** Refuses the whole directory on a bad entry: a typo must not silence a recipient. */
  constructor(entries: unknown) {
    const parsed = contactDirectorySchema.safeParse(entries);
    if (!parsed.success) {
      throw new Error(`The contact directory is invalid:\n${z.prettifyError(parsed.error)}`);
    }
    this.contacts = new Map(Object.entries(parsed.data));
  }

  async resolve(to: string): Promise<Contact[]> {
    return [...(this.contacts.get(to) ?? [])];
  }
}
