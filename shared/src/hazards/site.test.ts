import { describe, expect, it } from 'vitest';
import { validate } from '../api/validation.ts';
import { sealEvent } from '../event-log/event-log.ts';
import { renderEscalationMessage } from '../notifications/escalation-messages.ts';
import { type HazardState, hazardProjection } from './hazard.ts';
import { ledgerColumns, ledgerRow } from './ledger-export.ts';
import { recordHazardSchema } from './schemas.ts';
import { partyName, siteKindNames, siteKinds, siteSchema } from './site.ts';
import { hazardSummary } from './views.ts';

const shop = {
  name: '老王便利店',
  address: '东门路 20 号',
  kind: 'shop',
  personInCharge: '王某',
  phone: '138 0013 8000',
};

const request = {
  idempotencyKey: '5b2d3e4f-5a6b-4c7d-8e9f-012345678912',
  jurisdiction: 'cq-gecheng',
  source: 'inspection',
  industry: 'fire',
  place: '店内后门',
  grade: 'general',
  description: '后门被纸箱堵住',
};

describe('a place without a credit code (九小场所)', () => {
  it('is accepted with its phone normalised, a mobile or a landline with its area code', () => {
    const mobile = validate(siteSchema, shop);
    expect(mobile.success && mobile.data.phone).toBe('13800138000');
    const landline = validate(siteSchema, { ...shop, phone: '023-6123 4567' });
    expect(landline.success && landline.data.phone).toBe('02361234567');
  });

  it('is refused with a phone that is neither, in both languages', () => {
    for (const phone of ['12345', '2800138000', '138001380001', '电话']) {
      const result = validate(siteSchema, { ...shop, phone });
      expect(result.success ? [] : result.issues).toEqual([
        {
          path: 'phone',
          message: {
            zh: '请输入手机号或带区号的固定电话。',
            en: 'Enter a mobile or a landline with its area code.',
          },
        },
      ]);
    }
  });

  it('is refused with a kind not on the list, or without its person in charge', () => {
    const kind = validate(siteSchema, { ...shop, kind: 'factory' });
    expect(kind.success ? [] : kind.issues.map((issue) => issue.path)).toEqual(['kind']);
    const { personInCharge: _left, ...without } = shop;
    const person = validate(siteSchema, without);
    expect(person.success ? [] : person.issues.map((issue) => issue.path)).toEqual([
      'personInCharge',
    ]);
  });

  it('has a name in zh and en for every kind', () => {
    for (const kind of siteKinds) {
      expect(siteKindNames[kind].zh).toMatch(/\p{Script=Han}/u);
      expect(siteKindNames[kind].en).toMatch(/^[A-Z]/);
    }
  });
});

describe('a hazard names an enterprise or a place, one of them', () => {
  it('is recorded at a place', () => {
    const result = validate(recordHazardSchema, { ...request, site: shop });
    expect(result.success && result.data.site?.name).toBe('老王便利店');
    expect(result.success && result.data.enterprise).toBeUndefined();
  });

  it('is refused with neither, or with both, in both languages', () => {
    const message = {
      zh: '请选择登记的企业，或填写无信用代码的场所，二选一。',
      en: 'Name a registered enterprise or a place without a credit code: one of them.',
    };
    for (const body of [request, { ...request, site: shop, enterprise: '91350100M000100Y43' }]) {
      const result = validate(recordHazardSchema, body);
      expect(result.success ? [] : result.issues).toEqual([{ path: 'enterprise', message }]);
    }
  });
});

async function stateAtShop(): Promise<HazardState> {
  const parsed = validate(siteSchema, shop);
  if (!parsed.success) throw new Error('shop');
  const event = await sealEvent('HAZARD#h1', null, {
    type: 'hazard_reported',
    data: {
      hazardId: 'h1',
      source: 'inspection',
      jurisdiction: 'cq-gecheng',
      industry: 'fire',
      site: parsed.data,
      place: '店内后门',
      grade: 'general',
      description: '后门被纸箱堵住',
    },
    at: '2026-12-01T02:00:00.000Z',
    actor: { kind: 'person', id: 'demo:officer' },
  });
  const state = hazardProjection.apply(null, event);
  if (!state) throw new Error('no state');
  return state;
}

describe('a hazard at a place, where its party is named', () => {
  it('has no enterprise file (gsi2): it is found in the ledger only', async () => {
    const state = await stateAtShop();
    const indexes = hazardProjection.indexes?.(state) ?? {};
    expect(indexes.gsi1pk).toBe('HAZARDS#cq-gecheng#reported');
    expect(indexes).not.toHaveProperty('gsi2pk');
  });

  it('shows the place in the ledger row, the export and the summary', async () => {
    const state = await stateAtShop();
    const row = ledgerRow(state, 1, '2026-12-02');
    expect(row[5]).toBe('');
    expect(row[ledgerColumns.indexOf('无信用代码场所')]).toBe(
      '老王便利店（小商店）东门路 20 号 负责人 王某 13800138000',
    );
    expect(hazardSummary(state)).toMatchObject({ site: { name: '老王便利店', kind: 'shop' } });
    expect(hazardSummary(state)).not.toHaveProperty('enterprise');
  });

  it('names the place in escalation messages, an enterprise by its registered name or code', async () => {
    const state = await stateAtShop();
    const message = renderEscalationMessage('reminder', 'assigned_officer', {
      hazardId: 'h1',
      enterpriseName: partyName(state),
      place: state.place,
      description: state.description,
      deadline: '2026-12-10T16:00:00.000Z',
      now: new Date('2026-12-08T02:00:00.000Z'),
      late: false,
    });
    expect(message.body.zh).toContain('老王便利店');
    expect(message.body.en).toContain('老王便利店');
    expect(partyName({ enterprise: '91350100M000100Y43' }, '格城安达')).toBe('格城安达');
    expect(partyName({ enterprise: '91350100M000100Y43' })).toBe('91350100M000100Y43');
  });
});
