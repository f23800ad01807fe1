import { routes } from '@qingling/shared/api/routes.ts';
import { type Role, roles } from '@qingling/shared/auth/principal.ts';
import { describe, expect, it } from 'vitest';
import type { Desk } from './contract.ts';
import { deskSections, sectionsFor, workCards } from './desk-sections.ts';

function allowed(operationId: string): readonly Role[] {
  const route = routes.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  if (route.access.kind === 'public' || route.access.roles === 'any') return roles;
  return route.access.roles;
}

const desk: Desk = {
  jurisdiction: 'cq-gecheng',
  asOf: '2026-12-08T02:00:00.000Z',
  hazards: { reported: 2, rectifying: 5, verifying: 1, closed_look_back: 0, closed: 3 },
  overdue: 2,
  dueSoon: 1,
  openMajor: 2,
  pendingExtensions: 1,
  awaitingSignOff: 1,
  escalationsToday: 1,
  summonsToHold: 1,
  listedSupervisions: 0,
  exposureToApprove: 0,
  exposed: 1,
  tips: { received: 1, accepted: 1, investigating: 0, substantiated: 1 },
  myCases: [],
};

describe('the desk per role', () => {
  it.each(deskSections.map((section) => [section.key, section] as const))(
    'the %s section reads only routes its roles may call',
    (_key, section) => {
      for (const operationId of section.routes) {
        for (const role of section.roles) expect(allowed(operationId)).toContain(role);
      }
    },
  );

  it('gives every role a section with work in it', () => {
    for (const role of roles) expect(sectionsFor([role]).size, role).toBeGreaterThan(0);
    expect([...sectionsFor(['reward_officer'])]).toEqual(['rewards']);
    expect([...sectionsFor(['administrator'])]).toEqual(['admin']);
  });

  it('shows each office role its own counts, and a shared card once', () => {
    const keys = (held: Role[]) => workCards(held, desk).map((card) => card.key);
    expect(keys(['officer'])).toEqual(['tips-to-accept', 'due-soon', 'overdue', 'to-verify']);
    expect(keys(['department_head'])).toEqual(['extensions', 'sign-off']);
    expect(keys(['leader_in_charge'])).toEqual([
      'overdue',
      'escalations-today',
      'summons-to-hold',
      'listed',
      'open-major',
    ]);
    expect(keys(['principal_leader'])).toEqual([
      ...keys(['leader_in_charge']),
      'exposure-to-approve',
      'exposed',
    ]);
    expect(keys(['officer', 'leader_in_charge'])).toHaveLength(8);
    expect(workCards(['department_head'], desk).map((card) => card.count)).toEqual([1, 1]);
    expect(keys(['reward_officer'])).toEqual([]);
  });

  it('opens each count on exactly its hazards: a desk card, or a tab whose count it is', () => {
    const all = workCards(['officer', 'department_head', 'principal_leader'], desk);
    for (const card of all) {
      if ('card' in card.to) expect(card.count, card.key).toBe(desk[card.to.card]);
      else if ('ledger' in card.to) expect(card.count, card.key).toBe(desk.hazards[card.to.ledger]);
      else expect(card.count, card.key).toBe(desk.tips[card.to.inbox]);
    }
    // Overdue is not "everything rectifying", nor sign-off "everything being verified".
    const to = (key: string) => all.find((card) => card.key === key)?.to;
    expect(to('overdue')).toEqual({ card: 'overdue' });
    expect(to('sign-off')).toEqual({ card: 'awaitingSignOff' });
    expect(to('open-major')).toEqual({ card: 'openMajor' });
  });
});
