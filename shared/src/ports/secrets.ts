/**
 * The deployment's secrets, behind ports: Secrets Manager and KMS on AWS, keys kept in
 * .data on the embedded cloud. The domain never sees where they come from.
 */
export interface ReceiptKeys {
  /** The HMAC key behind receipts and tip ids. Never logged, never sent anywhere. */
  receiptKey(): Promise<Uint8Array>;
}

/** Encrypts a tipster's contact so that only the reward officer's route can read it. */
export interface ContactVault {
  seal(contact: string): Promise<string>;
  open(sealed: string): Promise<string>;
}
