import { claimNames, listClaim } from '@qingling/shared/auth/claims.ts';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/**
 * The Cognito user attributes (set by an administrator, never writable by the user's own
 * app client) that become Qingling's claims, with the claim each one becomes. Lists are
 * space-separated, the shape principalFromClaims reads.
 */
export const claimSources = [
  { attribute: 'custom:roles', claim: claimNames.roles, list: true },
  { attribute: 'custom:jurisdictions', claim: claimNames.jurisdictions, list: true },
  { attribute: 'custom:department', claim: claimNames.department, list: false },
  { attribute: 'custom:industries', claim: claimNames.industries, list: true },
] as const;

/** Qingling's claims for a user's attributes; attributes that are empty give no claim. */
export function qinglingClaims(
  userAttributes: Record<string, string | undefined>,
): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const { attribute, claim, list } of claimSources) {
    const raw = userAttributes[attribute];
    const value = list ? listClaim(raw).join(' ') : (raw ?? '').trim();
    if (value) claims[claim] = value;
  }
  return claims;
}

/**
 * Pre-token-generation trigger (event version 2, so the access token can carry the claims
 * as well as the ID token). Adds Qingling's claims, plus `name` to the access token, which
 * Cognito leaves out of it. Reads nothing but the event and logs nothing.
 */
export const handler = async (
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> => {
  const attributes = event.request.userAttributes;
  const claims = qinglingClaims(attributes);
  const name = attributes.name?.trim();
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: {
        claimsToAddOrOverride: { ...claims, ...(name ? { name } : {}) },
      },
    },
  };
  return event;
};
