import type { Role } from '@qingling/shared/auth/principal.ts';
import type { Hazard, HazardDetail, TimelineEntry } from './contract.ts';

/** The forms of the hazard page: one per decision a person can take on it. */
export type HazardAction =
  | 'start_rectification'
  | 'request_extension'
  | 'decide_extension'
  | 'verify'
  | 'close'
  | 'reopen'
  | 'record_look_back'
  /** Leaders' (oversight.ts): each form places or lifts, approves or withdraws, as fits. */
  | 'record_summons'
  | 'listed_supervision'
  | 'exposure';

/**
 * The decisions valid for the hazard as it is and for the person's roles (RULES.md, "Who is
 * who": officers act on hazards, the department head decides extensions, leaders summon,
 * list and expose). The server
 * checks the same again; this only keeps off the page what would be refused.
 */
export function availableActions(
  hazard: Hazard,
  roles: readonly Role[],
  userId?: string,
): HazardAction[] {
  const officer = roles.includes('officer');
  const head = roles.includes('department_head');
  const principal = roles.includes('principal_leader');
  const leader = principal || roles.includes('leader_in_charge');
  const open = hazard.status !== 'closed';
  // 销号: a major hazard by a second person in the sign-off role, never its verifier.
  const closure = hazard.closure;
  const signs =
    roles.includes(closure?.signOffRole ?? 'officer') &&
    !(closure?.secondPerson && closure.verifiedBy?.id === userId);
  const actions: [HazardAction, boolean][] = [
    ['start_rectification', officer && hazard.status === 'reported'],
    ['request_extension', officer && hazard.status === 'rectifying' && !hazard.pendingExtension],
    ['decide_extension', head && hazard.status === 'rectifying' && hazard.pendingExtension],
    ['verify', officer && hazard.status === 'verifying' && !hazard.verifiedAt],
    ['close', signs && hazard.status === 'verifying' && Boolean(hazard.verifiedAt)],
    ['reopen', officer && hazard.status === 'closed'],
    [
      'record_look_back',
      officer && hazard.status === 'closed' && hazard.lookBack?.status === 'due',
    ],
    ['record_summons', leader && open],
    [
      'listed_supervision',
      principal && (Boolean(hazard.listedSupervision) || (open && hazard.grade === 'major')),
    ],
    [
      'exposure',
      principal &&
        (Boolean(hazard.exposure) ||
          hazard.status === 'rectifying' ||
          hazard.status === 'verifying'),
    ],
  ];
  return actions.filter(([, allowed]) => allowed).map(([action]) => action);
}

/** The log entries `after` has that `before` did not (by sequence), oldest first. */
export function newHazardEntries(
  before: HazardDetail | undefined,
  after: HazardDetail | undefined,
): TimelineEntry[] {
  const seen = before?.timeline.at(-1)?.sequence ?? 0;
  return after?.timeline.filter((entry) => entry.sequence > seen) ?? [];
}
