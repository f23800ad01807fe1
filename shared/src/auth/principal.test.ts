import { describe, expect, it } from 'vitest';
import { claimNames, claimsForPrincipal, listClaim, principalFromClaims } from './principal.ts';

describe('listClaim', () => {
  it('reads arrays, API Gateway\'s "[a b]" text and space-separated strings alike', () => {
    expect(listClaim(['officer', 'administrator'])).toEqual(['officer', 'administrator']);
    expect(listClaim('[officer administrator]')).toEqual(['officer', 'administrator']);
    expect(listClaim('officer administrator')).toEqual(['officer', 'administrator']);
    expect(listClaim(undefined)).toEqual([]);
    expect(listClaim(42)).toEqual([]);
  });
});

describe('principalFromClaims', () => {
  const principal = {
    userId: 'u-1',
    name: '李明',
    roles: ['officer' as const, 'department_head' as const],
    jurisdictions: ['cq-gecheng'],
    department: 'emergency_management',
  };

  it('is the inverse of claimsForPrincipal', () => {
    expect(principalFromClaims(claimsForPrincipal(principal))).toEqual(principal);
  });

  it('drops roles it does not know and refuses a token with no known role', () => {
    expect(
      principalFromClaims({ ...claimsForPrincipal(principal), [claimNames.roles]: 'officer root' })
        ?.roles,
    ).toEqual(['officer']);
    expect(
      principalFromClaims({ ...claimsForPrincipal(principal), [claimNames.roles]: 'root' }),
    ).toBeNull();
  });

  it('refuses a token without jurisdictions or subject', () => {
    const { [claimNames.jurisdictions]: _, ...withoutJurisdictions } =
      claimsForPrincipal(principal);
    expect(principalFromClaims(withoutJurisdictions)).toBeNull();
    const { sub: __, ...withoutSubject } = claimsForPrincipal(principal);
    expect(principalFromClaims(withoutSubject)).toBeNull();
  });
});
