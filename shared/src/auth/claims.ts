// Kept free of zod: the Cognito trigger bundles this file alone.

/**
 * Custom claims a Qingling token carries, on AWS (Cognito pre-token-generation trigger or
 * any OIDC issuer) and on the embedded cloud's issuer alike. Lists are space-separated
 * strings because API Gateway's JWT authorizer flattens array claims into "[a b]" text.
 */
export const claimNames = {
  roles: 'qingling:roles',
  jurisdictions: 'qingling:jurisdictions',
  department: 'qingling:department',
  industries: 'qingling:industries',
} as const;

/** Splits a list claim whether it arrives as an array, "[a b]" (API Gateway) or "a b". */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}
