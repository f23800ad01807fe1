import { describe, expect, it } from 'vitest';
import {
  type AuthorizationRequest,
  accessDeniedMessage,
  type Decision,
  evaluate,
  type PolicyStatement,
} from './iam.ts';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/T';
const GSI = `${TABLE}/index/gsi1`;
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const ROLE = 'arn:aws:sts::123456789012:assumed-role/RoleName/session';

const request = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  action: 'dynamodb:PutItem',
  resource: TABLE,
  ...overrides,
});

const allowAll = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: 'Allow',
  Action: '*',
  Resource: '*',
  ...extra,
});

const allowed = (statements: PolicyStatement[], req: AuthorizationRequest) =>
  evaluate(statements, req).allowed;

describe('evaluate: decision logic', () => {
  it('denies implicitly when nothing matches, including with no statements', () => {
    expect(evaluate([], request())).toEqual({ allowed: false, reason: 'implicitDeny' });
    const s3Only = allowAll({ Action: 's3:GetObject' });
    expect(evaluate([s3Only], request())).toEqual({ allowed: false, reason: 'implicitDeny' });
  });

  it('returns the allowing statement', () => {
    const statement = allowAll({ Sid: 'Put', Action: 'dynamodb:PutItem', Resource: TABLE });
    expect(evaluate([statement], request())).toEqual({ allowed: true, statement });
  });

  it('lets an explicit deny beat an allow whatever their order', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: TABLE };
    for (const statements of [
      [allowAll(), deny],
      [deny, allowAll()],
    ]) {
      expect(evaluate(statements, request())).toEqual({
        allowed: false,
        reason: 'explicitDeny',
        statement: deny,
      });
    }
  });

  it('ignores a deny whose action, resource or condition does not match', () => {
    const denies: PolicyStatement[] = [
      { Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE },
      { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: GSI },
      {
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': false } },
      },
    ];
    const req = request({ context: { 'aws:SecureTransport': 'true' } });
    expect(allowed([...denies, allowAll()], req)).toBe(true);
  });

  it('explicitly denies insecure transport with a Bool false condition', () => {
    const deny: PolicyStatement = {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    const policy = [allowAll({ Action: 'dynamodb:*' }), deny];
    const insecure = evaluate(policy, request({ context: { 'aws:SecureTransport': 'false' } }));
    expect(insecure).toEqual({ allowed: false, reason: 'explicitDeny', statement: deny });
    expect(allowed(policy, request({ context: { 'aws:SecureTransport': 'true' } }))).toBe(true);
    // Key absent: Bool is false, so the deny does not apply (AWS behaves the same).
    expect(allowed(policy, request())).toBe(true);
  });
});

describe('evaluate: Action and NotAction', () => {
  it.each([
    ['dynamodb:PutItem', 'dynamodb:PutItem', true],
    ['dynamodb:*', 'dynamodb:Query', true],
    ['dynamodb:Get*', 'dynamodb:GetItem', true],
    ['dynamodb:Get*', 'dynamodb:PutItem', false],
    ['dynamodb:?etItem', 'dynamodb:GetItem', true],
    ['dynamodb:?etItem', 'dynamodb:BatchGetItem', false],
    ['dynamodb:Get', 'dynamodb:GetItem', false],
    ['*', 's3:GetObject', true],
    ['s3:*', 'dynamodb:GetItem', false],
    ['DynamoDB:putitem', 'dynamodb:PutItem', true],
    ['dynamodb:PutItem', 'DYNAMODB:PUTITEM', true],
  ])('Action %s vs %s → %s', (pattern, action, expected) => {
    expect(allowed([allowAll({ Action: pattern })], request({ action }))).toBe(expected);
  });

  it('matches any of several actions', () => {
    const statement = allowAll({ Action: ['dynamodb:GetItem', 'dynamodb:PutItem'] });
    expect(allowed([statement], request())).toBe(true);
    expect(allowed([statement], request({ action: 'dynamodb:Query' }))).toBe(false);
  });

  it.each([
    ['dynamodb:PutItem', true],
    ['iam:CreateUser', false],
    ['IAM:PassRole', false],
    ['dynamodb:DeleteTable', false],
  ])('Allow NotAction [iam:*, dynamodb:Delete*] for %s → %s', (action, expected) => {
    const statement = allowAll({ Action: undefined, NotAction: ['iam:*', 'dynamodb:Delete*'] });
    expect(allowed([statement], request({ action }))).toBe(expected);
  });

  it('denies every action but the listed ones with Deny NotAction', () => {
    const deny: PolicyStatement = { Effect: 'Deny', NotAction: 'dynamodb:GetItem', Resource: '*' };
    expect(allowed([allowAll(), deny], request({ action: 'dynamodb:GetItem' }))).toBe(true);
    expect(evaluate([allowAll(), deny], request())).toMatchObject({ reason: 'explicitDeny' });
  });

  it('never matches a statement with neither Action nor NotAction', () => {
    expect(allowed([allowAll({ Action: undefined })], request())).toBe(false);
  });

  it('throws on a statement with both Action and NotAction', () => {
    const statement = allowAll({ NotAction: 'iam:*' });
    expect(() => evaluate([statement], request())).toThrow(/both Action and NotAction/);
  });
});

describe('evaluate: Resource and NotResource', () => {
  it.each([
    [TABLE, TABLE, true],
    [`${TABLE}/index/*`, GSI, true],
    [TABLE, GSI, false],
    [`${TABLE}/index/*`, TABLE, false],
    [`${TABLE}*`, GSI, true],
    ['arn:aws:dynamodb:*:*:table/T', TABLE, true],
    ['arn:aws:dynamodb:*', GSI, true], // `*` spans both `:` and `/`
    ['*', FN, true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/t', TABLE, false], // case-sensitive
    ['arn:aws:dynamodb:us-east-1:123456789012:table/?', TABLE, true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/?', `${TABLE}2`, false],
    ['arn:aws:s3:::bucket.name/*', 'arn:aws:s3:::bucketXname/key', false], // `.` is literal
  ])('Resource %s vs %s → %s', (pattern, resource, expected) => {
    expect(allowed([allowAll({ Resource: pattern })], request({ resource }))).toBe(expected);
  });

  it('matches any of several resources', () => {
    const statement = allowAll({ Resource: [TABLE, `${TABLE}/index/*`] });
    expect(allowed([statement], request({ resource: GSI }))).toBe(true);
    expect(allowed([statement], request({ resource: `${TABLE}2` }))).toBe(false);
  });

  it.each([
    [TABLE, false],
    [GSI, false],
    [`${TABLE}2`, true],
  ])('Allow NotResource [T, T/index/*] for %s → %s', (resource, expected) => {
    const statement = allowAll({ Resource: undefined, NotResource: [TABLE, `${TABLE}/index/*`] });
    expect(allowed([statement], request({ resource }))).toBe(expected);
  });

  it('never matches a statement with neither Resource nor NotResource', () => {
    expect(allowed([allowAll({ Resource: undefined })], request())).toBe(false);
    const deny: PolicyStatement = { Effect: 'Deny', Action: '*' };
    expect(allowed([allowAll(), deny], request())).toBe(true);
  });
});

type Row = [string, PolicyStatement['Condition'], AuthorizationRequest['context'], boolean];

describe('evaluate: conditions', () => {
  const cases: Row[] = [
    // String operators
    ['StringEquals matches', { StringEquals: { k: 'a' } }, { k: 'a' }, true],
    ['StringEquals is case-sensitive', { StringEquals: { k: 'a' } }, { k: 'A' }, false],
    ['StringEquals ORs policy values', { StringEquals: { k: ['x', 'a'] } }, { k: 'a' }, true],
    ['StringEquals with key missing', { StringEquals: { k: 'a' } }, {}, false],
    ['StringEquals with key undefined', { StringEquals: { k: 'a' } }, { k: undefined }, false],
    ['StringEquals with number value', { StringEquals: { k: 12 } }, { k: '12' }, true],
    ['StringNotEquals different', { StringNotEquals: { k: 'a' } }, { k: 'b' }, true],
    ['StringNotEquals same', { StringNotEquals: { k: 'a' } }, { k: 'a' }, false],
    [
      'StringNotEquals NORs policy values',
      { StringNotEquals: { k: ['a', 'b'] } },
      { k: 'b' },
      false,
    ],
    // AWS: "if the key is not present, negated operators such as StringNotLike are true".
    ['StringNotEquals with key missing', { StringNotEquals: { k: 'a' } }, {}, true],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { k: 'ABC' } }, { k: 'abc' }, true],
    ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { k: 'ABC' } }, { k: 'abc' }, false],
    ['StringLike *', { StringLike: { k: 'TIP#*' } }, { k: 'TIP#1' }, true],
    ['StringLike ?', { StringLike: { k: 'TIP#?' } }, { k: 'TIP#12' }, false],
    ['StringLike is case-sensitive', { StringLike: { k: 'tip#*' } }, { k: 'TIP#1' }, false],
    ['StringLike with key missing', { StringLike: { k: '*' } }, {}, false],
    ['StringNotLike not matching', { StringNotLike: { k: 'TIP#*' } }, { k: 'HAZARD#1' }, true],
    ['StringNotLike matching', { StringNotLike: { k: 'TIP#*' } }, { k: 'TIP#1' }, false],
    ['StringNotLike with key missing', { StringNotLike: { k: 'TIP#*' } }, {}, true],
    [
      'condition key names ignore case',
      { StringEquals: { 'AWS:Key': 'a' } },
      { 'aws:key': 'a' },
      true,
    ],
    // ARN operators compare the six `:` parts separately, with wildcards in both Equals and Like
    ['ArnEquals', { ArnEquals: { k: FN } }, { k: FN }, true],
    [
      'ArnEquals with wildcard',
      { ArnEquals: { k: 'arn:aws:lambda:*:*:function:*' } },
      { k: FN },
      true,
    ],
    ['ArnLike', { ArnLike: { k: 'arn:aws:lambda:*:123456789012:*' } }, { k: FN }, true],
    [
      'ArnLike other account',
      { ArnLike: { k: 'arn:aws:lambda:*:999999999999:*' } },
      { k: FN },
      false,
    ],
    [
      'ArnLike non-ARN value',
      { ArnLike: { k: 'arn:aws:lambda:*:*:*' } },
      { k: 'function:f' },
      false,
    ],
    ['ArnLike with key missing', { ArnLike: { k: '*' } }, {}, false],
    ['ArnNotEquals', { ArnNotEquals: { k: TABLE } }, { k: FN }, true],
    ['ArnNotLike matching', { ArnNotLike: { k: 'arn:aws:lambda:*:*:*' } }, { k: FN }, false],
    ['ArnNotLike with key missing', { ArnNotLike: { k: 'arn:aws:lambda:*:*:*' } }, {}, true],
    // Bool
    ['Bool boolean true', { Bool: { k: true } }, { k: 'true' }, true],
    ['Bool string false vs true', { Bool: { k: 'false' } }, { k: 'true' }, false],
    ['Bool with key missing', { Bool: { k: 'false' } }, {}, false],
    // Numeric
    ['NumericEquals', { NumericEquals: { k: 5 } }, { k: '5.0' }, true],
    ['NumericNotEquals', { NumericNotEquals: { k: '5' } }, { k: '6' }, true],
    ['NumericLessThan below', { NumericLessThan: { k: 10 } }, { k: '5' }, true],
    ['NumericLessThan equal', { NumericLessThan: { k: 10 } }, { k: '10' }, false],
    ['NumericLessThanEquals equal', { NumericLessThanEquals: { k: 10 } }, { k: '10' }, true],
    ['NumericGreaterThan above', { NumericGreaterThan: { k: '10' } }, { k: '11' }, true],
    ['NumericGreaterThan equal', { NumericGreaterThan: { k: '10' } }, { k: '10' }, false],
    ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { k: '10' } }, { k: '10' }, true],
    ['Numeric non-number', { NumericLessThan: { k: 10 } }, { k: 'abc' }, false],
    ['Numeric with key missing', { NumericLessThan: { k: 10 } }, {}, false],
    // Null
    ['Null true, key absent', { Null: { k: 'true' } }, {}, true],
    ['Null true, key present', { Null: { k: true } }, { k: 'a' }, false],
    ['Null true, key empty list', { Null: { k: 'true' } }, { k: [] }, true],
    ['Null false, key present', { Null: { k: 'false' } }, { k: 'a' }, true],
    ['Null false, key absent', { Null: { k: false } }, {}, false],
    // ...IfExists: a missing key makes the condition true; a present key is checked as usual
    ['StringEqualsIfExists, key absent', { StringEqualsIfExists: { k: 'a' } }, {}, true],
    ['StringEqualsIfExists, mismatch', { StringEqualsIfExists: { k: 'a' } }, { k: 'b' }, false],
    ['StringLikeIfExists, match', { StringLikeIfExists: { k: 'a*' } }, { k: 'ab' }, true],
    ['StringNotEqualsIfExists, absent', { StringNotEqualsIfExists: { k: 'a' } }, {}, true],
    ['StringNotEqualsIfExists, same', { StringNotEqualsIfExists: { k: 'a' } }, { k: 'a' }, false],
    ['ArnLikeIfExists, absent', { ArnLikeIfExists: { k: FN } }, {}, true],
    ['BoolIfExists, absent', { BoolIfExists: { k: 'true' } }, {}, true],
    ['NumericLessThanIfExists, absent', { NumericLessThanIfExists: { k: 1 } }, {}, true],
    ['NumericLessThanIfExists, too big', { NumericLessThanIfExists: { k: 1 } }, { k: '2' }, false],
    // Plain operators on a multi-valued key: positive = any value matches, negated = complement
    ['StringEquals, any request value', { StringEquals: { k: 'b' } }, { k: ['a', 'b'] }, true],
    ['StringEquals, no request value', { StringEquals: { k: 'c' } }, { k: ['a', 'b'] }, false],
    ['StringNotEquals, one value equal', { StringNotEquals: { k: 'b' } }, { k: ['a', 'b'] }, false],
    ['StringNotEquals, none equal', { StringNotEquals: { k: 'c' } }, { k: ['a', 'b'] }, true],
    // ForAllValues: every request value matches some policy value; vacuously true when absent
    [
      'ForAllValues all in',
      { 'ForAllValues:StringEquals': { k: ['a', 'b'] } },
      { k: ['b', 'a'] },
      true,
    ],
    [
      'ForAllValues one out',
      { 'ForAllValues:StringEquals': { k: ['a'] } },
      { k: ['a', 'c'] },
      false,
    ],
    ['ForAllValues key absent', { 'ForAllValues:StringEquals': { k: 'a' } }, {}, true],
    ['ForAllValues key empty', { 'ForAllValues:StringEquals': { k: 'a' } }, { k: [] }, true],
    ['ForAllValues single string', { 'ForAllValues:StringLike': { k: 'a*' } }, { k: 'ab' }, true],
    [
      'ForAllValues:ArnLike',
      { 'ForAllValues:ArnLike': { k: `${TABLE}*` } },
      { k: [TABLE, GSI] },
      true,
    ],
    [
      'ForAllValues:StringNotEquals none listed',
      { 'ForAllValues:StringNotEquals': { k: ['DataClass', 'Owner'] } },
      { k: ['Dept', 'SIC'] },
      true,
    ],
    [
      'ForAllValues:StringNotEquals one listed',
      { 'ForAllValues:StringNotEquals': { k: ['DataClass', 'Owner'] } },
      { k: ['Dept', 'Owner'] },
      false,
    ],
    [
      'ForAllValues:StringNotEquals absent',
      { 'ForAllValues:StringNotEquals': { k: 'a' } },
      {},
      true,
    ],
    // ForAnyValue: at least one request value matches; false when absent
    ['ForAnyValue one in', { 'ForAnyValue:StringEquals': { k: ['a'] } }, { k: ['c', 'a'] }, true],
    ['ForAnyValue none in', { 'ForAnyValue:StringEquals': { k: ['a'] } }, { k: ['b', 'c'] }, false],
    ['ForAnyValue key absent', { 'ForAnyValue:StringEquals': { k: 'a' } }, {}, false],
    [
      'ForAnyValue...IfExists key absent',
      { 'ForAnyValue:StringEqualsIfExists': { k: 'a' } },
      {},
      true,
    ],
    [
      'ForAnyValue:StringNotEquals one unlisted',
      { 'ForAnyValue:StringNotEquals': { k: ['DataClass', 'Owner'] } },
      { k: ['DataClass', 'Dept'] },
      true,
    ],
    [
      'ForAnyValue:StringNotEquals all listed',
      { 'ForAnyValue:StringNotEquals': { k: ['DataClass', 'Owner'] } },
      { k: ['DataClass', 'Owner'] },
      false,
    ],
    [
      'ForAnyValue:StringNotEquals absent',
      { 'ForAnyValue:StringNotEquals': { k: 'a' } },
      {},
      false,
    ],
    [
      'ForAnyValue:StringEqualsIgnoreCase',
      { 'ForAnyValue:StringEqualsIgnoreCase': { k: 'A' } },
      { k: ['b', 'a'] },
      true,
    ],
    // AND across operators and across keys
    [
      'AND across operators, both hold',
      { StringEquals: { a: '1' }, Bool: { b: 'true' } },
      { a: '1', b: 'true' },
      true,
    ],
    [
      'AND across operators, one fails',
      { StringEquals: { a: '1' }, Bool: { b: 'true' } },
      { a: '1', b: 'false' },
      false,
    ],
    ['AND across keys, both hold', { StringEquals: { a: '1', b: '2' } }, { a: '1', b: '2' }, true],
    ['AND across keys, one fails', { StringEquals: { a: '1', b: '2' } }, { a: '1', b: '3' }, false],
    ['empty Condition block', {}, {}, true],
  ];

  it.each(cases)('%s', (_name, condition, context, expected) => {
    expect(allowed([allowAll({ Condition: condition })], request({ context }))).toBe(expected);
  });

  it.each([
    [['TIP#1'], true],
    [['TIP#1', 'TIP#2'], true],
    [['HAZARD#1'], false],
    [['TIP#1', 'HAZARD#1'], false],
  ])(
    'restricts dynamodb:LeadingKeys %j to TIP#* with ForAllValues:StringLike',
    (keys, expected) => {
      const statement: PolicyStatement = {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        Resource: [TABLE, `${TABLE}/index/*`],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TIP#*'] } },
      };
      const req = request({
        action: 'dynamodb:Query',
        resource: GSI,
        context: { 'dynamodb:LeadingKeys': keys },
      });
      expect(allowed([statement], req)).toBe(expected);
    },
  );

  it('keeps the ForAllValues pitfall: a request without LeadingKeys (e.g. Scan) is allowed', () => {
    const statement = allowAll({
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TIP#*'] } },
    });
    expect(allowed([statement], request({ action: 'dynamodb:Scan' }))).toBe(true);
  });

  it.each([
    'DateLessThan',
    'IpAddress',
    'BinaryEquals',
    'StringEqualz',
    'ForEveryValue:StringEquals',
    'ForAllValues:Null',
    'NullIfExists',
  ])('throws on the unsupported operator %s, even when the statement does not match', (op) => {
    const statement = allowAll({ Action: 's3:*', Condition: { [op]: { k: 'a' } } });
    expect(() => evaluate([statement], request())).toThrow(op);
  });

  it('throws on a condition value that is not a string, number or boolean', () => {
    const statement = allowAll({ Condition: { StringEquals: { k: { nested: 'a' } } } });
    expect(() => evaluate([statement], request({ context: { k: 'a' } }))).toThrow(
      /unsupported value/,
    );
  });
});

describe('accessDeniedMessage', () => {
  it('words an implicit deny as AWS does', () => {
    const decision = evaluate([], request());
    expect(accessDeniedMessage(ROLE, request(), decision)).toBe(
      `User: ${ROLE} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    );
  });

  it('words an explicit deny as AWS does', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' };
    const req = request({ action: 'dynamodb:Query', resource: GSI });
    expect(accessDeniedMessage(ROLE, req, evaluate([allowAll(), deny], req))).toBe(
      `User: ${ROLE} is not authorized to perform: dynamodb:Query on resource: ${GSI} with an explicit deny in an identity-based policy`,
    );
  });

  it('refuses to word an allowed decision', () => {
    const decision: Decision = evaluate([allowAll()], request());
    expect(() => accessDeniedMessage(ROLE, request(), decision)).toThrow(/allowed/);
  });
});
