/** A running hash or HMAC, as Node's crypto gives it. */
interface Digesting {
  update(text: string, encoding: 'utf8'): Digesting;
  digest(): Uint8Array;
  digest(encoding: 'hex'): string;
}

/** A secret key as Node holds it (a KeyObject): prepared once, signed with many times. */
export type NodeSecretKey = { readonly type: 'secret' };

export interface NodeCrypto {
  createHash(algorithm: 'sha256'): Digesting;
  createHmac(algorithm: 'sha256', key: NodeSecretKey): Digesting;
  createSecretKey(key: Uint8Array): NodeSecretKey;
}

/**
 * Node's crypto where there is one (the functions, the embedded cloud), reached without an
 * import so that a browser bundle of a module using it stays as it is; undefined in a
 * browser, where WebCrypto does the same work. Node's is synchronous: WebCrypto's digest and
 * sign go through a job and a promise each, several times the CPU for the short texts the
 * event log and the tip keys hash (issue 13).
 */
export const nodeCrypto: NodeCrypto | undefined = (
  globalThis as { process?: { getBuiltinModule?: (id: 'node:crypto') => NodeCrypto } }
).process?.getBuiltinModule?.('node:crypto');
