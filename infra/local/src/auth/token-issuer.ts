import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { claimsForPrincipal, type Principal } from '@qingling/shared/auth/principal.ts';
import type { Clock } from '@qingling/shared/ports/clock.ts';
import {
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

const algorithm = 'ES256';
export const localAudience = 'qingling-web';

/**
 * The embedded cloud's stand-in for Cognito or a government single sign-on: an OIDC-style
 * issuer whose tokens carry the same claims as the AWS side's. Its key pair is kept under
 * .data so that tokens stay valid across restarts.
 */
export class LocalTokenIssuer {
  readonly issuer: string;
  private readonly privateKey: CryptoKey;
  private readonly publicJwk: JWK;
  private readonly clock: Clock;

  private constructor(issuer: string, privateKey: CryptoKey, publicJwk: JWK, clock: Clock) {
    this.issuer = issuer;
    this.privateKey = privateKey;
    this.publicJwk = publicJwk;
    this.clock = clock;
  }

  static async open(options: {
    keyPath: string;
    issuer: string;
    clock: Clock;
  }): Promise<LocalTokenIssuer> {
    let stored: { privateJwk: JWK; publicJwk: JWK };
    try {
      stored = JSON.parse(await readFile(options.keyPath, 'utf8'));
    } catch {
      const pair = await generateKeyPair(algorithm, { extractable: true });
      stored = {
        privateJwk: await exportJWK(pair.privateKey),
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid: `local-${Date.now()}` },
      };
      await mkdir(dirname(options.keyPath), { recursive: true });
      await writeFile(options.keyPath, JSON.stringify(stored), { mode: 0o600 });
    }
    const privateKey = (await importJWK(stored.privateJwk, algorithm)) as CryptoKey;
    return new LocalTokenIssuer(options.issuer, privateKey, stored.publicJwk, options.clock);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk, alg: algorithm, use: 'sig' }] };
  }

  discovery() {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/jwks.json`,
      token_endpoint: `${this.issuer}/token`,
      id_token_signing_alg_values_supported: [algorithm],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
    };
  }

  async issue(principal: Principal, lifetimeSeconds = 8 * 3600): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ ...claimsForPrincipal(principal), token_use: 'id' })
      .setProtectedHeader({ alg: algorithm, kid: this.publicJwk.kid ?? 'local' })
      .setIssuer(this.issuer)
      .setAudience(localAudience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** What API Gateway's JWT authorizer does: signature, issuer, audience, expiry. */
  async verify(token: string): Promise<JWTPayload | null> {
    try {
      const key = await importJWK(this.publicJwk, algorithm);
      const { payload } = await jwtVerify(token, key, {
        issuer: this.issuer,
        audience: localAudience,
        currentDate: this.clock.now(),
      });
      return payload;
    } catch {
      return null;
    }
  }
}
