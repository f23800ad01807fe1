import { describe, expect, it } from 'vitest';
import { validate } from '../api/validation.ts';
import { type NewEvent, type RecordedEvent, sealEvent } from '../event-log/event-log.ts';
import {
  type EnterpriseEvent,
  type EnterpriseInput,
  type EnterpriseState,
  enterpriseChangesSchema,
  enterprisePlace,
  enterprisePlaceParts,
  enterpriseProjection,
  enterpriseSchema,
  enterpriseStream,
} from './enterprise.ts';

const input: EnterpriseInput = {
  name: '格城安达仓储有限公司',
  uscc: '９１３５０１００ｍ０００１００ｙ４３',
  address: '东门路 18 号',
  industry: 'fire',
  jurisdiction: 'cq-gecheng',
  principal: { name: '王某', mobile: '138 0000 0001' },
  controller: { name: '李某', mobile: '13900000002' },
  contacts: [{ name: '赵某', role: '安全员', mobile: '13700000003' }],
};

const contact = { name: '赵某', role: '安全员', mobile: '13700000003' };

describe('an enterprise in the register', () => {
  it('is accepted with its code and mobile numbers normalised', () => {
    const result = validate(enterpriseSchema, input);
    expect(result.success && result.data.uscc).toBe('91350100M000100Y43');
    expect(result.success && result.data.principal.mobile).toBe('13800000001');
  });

  it('is refused with a wrong check character, in both languages', () => {
    const result = validate(enterpriseSchema, { ...input, uscc: '91350100M000100Y44' });
    expect(result.success ? [] : result.issues).toEqual([
      {
        path: 'uscc',
        message: {
          zh: '统一社会信用代码校验位不正确。',
          en: "The unified social credit code's check character is wrong.",
        },
      },
    ]);
  });

  it('is refused with a code of the wrong shape, saying only that', () => {
    for (const uscc of ['91350100M000100Y4', '91350100M0001O0Y43', '913501OOM000100Y43']) {
      const result = validate(enterpriseSchema, { ...input, uscc });
      expect(result.success ? [] : result.issues.map((issue) => issue.message.en)).toEqual([
        'The unified social credit code is 18 digits or capital letters (no I, O, Z, S or V).',
      ]);
    }
  });

  it('is refused with an empty or too long name, more than 10 contacts, or a bad mobile', () => {
    const paths = (value: unknown) => {
      const result = validate(enterpriseSchema, value);
      return result.success ? [] : result.issues.map((issue) => issue.path);
    };
    expect(paths({ ...input, name: '  ' })).toEqual(['name']);
    expect(paths({ ...input, name: '企'.repeat(101) })).toEqual(['name']);
    expect(paths({ ...input, name: '企'.repeat(100) })).toEqual([]);
    expect(paths({ ...input, contacts: Array(10).fill(contact) })).toEqual([]);
    expect(paths({ ...input, contacts: Array(11).fill(contact) })).toEqual(['contacts']);
    expect(paths({ ...input, controller: { name: '李某', mobile: '12345' } })).toEqual([
      'controller.mobile',
    ]);
    expect(paths({ ...input, industry: 'Fire!' })).toEqual(['industry']);
    expect(paths({ ...input, extra: true })).toEqual(['']);
  });

  it('may change anything but its code, and a change must change something', () => {
    expect(validate(enterpriseChangesSchema, { address: '西门路 2 号' })).toEqual({
      success: true,
      data: { address: '西门路 2 号' },
    });
    expect(validate(enterpriseChangesSchema, { uscc: '91110000600037341L' }).success).toBe(false);
    expect(validate(enterpriseChangesSchema, {}).success).toBe(false);
    // The jurisdiction is the record's identity: another one registers the enterprise anew.
    expect(validate(enterpriseChangesSchema, { jurisdiction: 'fj-xiamen-xiangan' }).success).toBe(
      false,
    );
  });

  it("keys each jurisdiction's record of the same code apart, and addresses its people there", () => {
    const uscc = '91350100M000100Y43';
    expect(enterpriseStream('cq-gecheng', uscc)).not.toBe(
      enterpriseStream('fj-xiamen-xiangan', uscc),
    );
    expect(enterprisePlaceParts(enterprisePlace('cq-gecheng', uscc))).toEqual({
      jurisdiction: 'cq-gecheng',
      uscc,
    });
    for (const place of [uscc, 'cq-gecheng/', '/91350100M000100Y43', 'a/b/c']) {
      expect(enterprisePlaceParts(place), place).toBeUndefined();
    }
  });
});

describe('the register entry derived from its log', () => {
  const registered = enterpriseSchema.parse(input);
  const stream = enterpriseStream(registered.jurisdiction, registered.uscc);

  async function play(events: EnterpriseEvent[]): Promise<EnterpriseState | null> {
    let state: EnterpriseState | null = null;
    let previous: RecordedEvent | null = null;
    for (const [index, event] of events.entries()) {
      const sealed: RecordedEvent = await sealEvent(stream, previous, {
        ...(event as NewEvent),
        at: `2026-11-0${index + 1}T02:00:00.000Z`,
        actor: { kind: 'person', id: 'demo:officer' },
      });
      state = enterpriseProjection.apply(state, sealed);
      previous = sealed;
    }
    return state;
  }

  it('is keyed by the jurisdiction and the code and listed by jurisdiction, sorted by name', async () => {
    const state = await play([{ type: 'enterprise_registered', data: registered }]);
    expect(stream).toBe('ENTERPRISE#cq-gecheng#91350100M000100Y43');
    expect(state && enterpriseProjection.indexes?.(state)).toEqual({
      gsi1pk: 'ENTERPRISES#cq-gecheng',
      gsi1sk: '格城安达仓储有限公司#91350100M000100Y43',
    });
  });

  it('takes the changes of an update, and moves in the list when renamed', async () => {
    const state = await play([
      { type: 'enterprise_registered', data: registered },
      { type: 'enterprise_updated', data: { changes: { name: '格城安达物流有限公司' } } },
      { type: 'audit_noted' as EnterpriseEvent['type'], data: {} } as EnterpriseEvent,
    ]);
    expect(state).toMatchObject({
      name: '格城安达物流有限公司',
      address: '东门路 18 号',
      registeredAt: '2026-11-01T02:00:00.000Z',
      updatedAt: '2026-11-02T02:00:00.000Z',
    });
    expect(state && enterpriseProjection.indexes?.(state).gsi1sk).toBe(
      '格城安达物流有限公司#91350100M000100Y43',
    );
  });

  it('refuses an update before the registration', async () => {
    await expect(
      play([{ type: 'enterprise_updated', data: { changes: { name: '某公司' } } }]),
    ).rejects.toThrow(/before enterprise_registered/);
  });
});
