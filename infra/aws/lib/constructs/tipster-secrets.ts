import { contactEncryptionContext } from '@qingling/shared/adapters/aws/kms-contact-vault.ts';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The encryption context every use of the contact key must carry (the adapter binds it). */
const contactContextCondition = Object.fromEntries(
  Object.entries(contactEncryptionContext).map(([name, value]) => [
    `kms:EncryptionContext:${name}`,
    value,
  ]),
);

/**
 * The two secrets behind a tipster's anonymity (design principle 4).
 * - The receipt key: the HMAC key behind receipts and tip ids. A generated secret of 64
 *   characters of [A-Za-z0-9], which is valid base64 for 48 bytes (about 381 bits of
 *   entropy), the same format as the embedded cloud's key. Never rotated: receipts
 *   already handed out are keyed hashes under it, and a new key would orphan them all.
 * - The contact key: a KMS key (yearly rotation, old versions kept for decryption) that
 *   seals the contact a tipster leaves for a reward. Intake may only encrypt; decryption
 *   is for the notification delivery alone (the claim reminder to the sealed phone).
 * Both are retained when the stack is deleted: losing either loses every tip's link.
 */
export class TipsterSecrets extends Construct {
  readonly receiptKey: Secret;
  readonly contactKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.receiptKey = new Secret(this, 'ReceiptKey', {
      description: 'Qingling receipt key (base64, 48 bytes): never rotate, receipts depend on it',
      generateSecretString: {
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: false,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.receiptKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The receipt key must never rotate: every receipt already handed out to a tipster is ' +
        'a keyed hash under it, and rotating would orphan them all (no way to follow up).',
    });

    this.contactKey = new Key(this, 'ContactKey', {
      description: "Qingling: seals tipsters' contacts (encrypt at intake, decrypt for rewards)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** secretsmanager:GetSecretValue on the receipt key, nothing else. */
  grantReadReceiptKey(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.receiptKey.secretArn],
    });
  }

  /**
   * kms:Decrypt on the contact key, and only with the tipster-contact encryption context:
   * for the delivery of the claim reminder, which opens a tip's sealed phone as it sends,
   * and for the reward officer's opening of a claim's sealed bank details.
   */
  grantOpenContact(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.contactKey.keyArn],
      conditions: { StringEquals: contactContextCondition },
    });
  }

  /** kms:Encrypt on the contact key, and only with the tipster-contact encryption context. */
  grantSealContact(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:Encrypt'],
      resourceArns: [this.contactKey.keyArn],
      conditions: { StringEquals: contactContextCondition },
    });
  }
}
