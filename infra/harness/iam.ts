// IAM identity-policy evaluator for the local harness: decides whether a Lambda's role may make
// an AWS call, following the documented IAM evaluation logic closely enough that a bundle which
// passes here is not denied in AWS for a reason this code ignores. Anything it cannot evaluate
// faithfully (unknown condition operators, malformed statements) throws rather than guessing.

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface AuthorizationRequest {
  /** e.g. 'dynamodb:PutItem' (service prefix lower case as AWS writes it) */
  action: string;
  /** the resource ARN, e.g. 'arn:aws:dynamodb:us-east-1:123456789012:table/T/index/gsi1' */
  resource: string;
  /** condition keys of the request, e.g. { 'dynamodb:LeadingKeys': ['TIP#1'], 'aws:SecureTransport': 'true' } */
  context?: Record<string, string | readonly string[] | undefined>;
}

export type Decision =
  | { allowed: true; statement: PolicyStatement }
  | { allowed: false; reason: 'explicitDeny'; statement: PolicyStatement }
  | { allowed: false; reason: 'implicitDeny' };

type Context = NonNullable<AuthorizationRequest['context']>;

export function evaluate(
  statements: readonly PolicyStatement[],
  request: AuthorizationRequest,
): Decision {
  let allow: PolicyStatement | undefined;
  for (const statement of statements) {
    if (!statementApplies(statement, request)) continue;
    // An explicit deny wins whatever else allows, so stop at the first one.
    if (statement.Effect === 'Deny') return { allowed: false, reason: 'explicitDeny', statement };
    allow ??= statement;
  }
  return allow ? { allowed: true, statement: allow } : { allowed: false, reason: 'implicitDeny' };
}

/** The message AWS gives in an AccessDeniedException for this decision. */
export function accessDeniedMessage(
  principalArn: string,
  request: AuthorizationRequest,
  decision: Decision,
): string {
  if (decision.allowed) throw new Error('accessDeniedMessage called for an allowed request');
  const prefix = `User: ${principalArn} is not authorized to perform: ${request.action} on resource: ${request.resource}`;
  return decision.reason === 'explicitDeny'
    ? `${prefix} with an explicit deny in an identity-based policy`
    : `${prefix} because no identity-based policy allows the ${request.action} action`;
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  // Conditions are evaluated first, for every statement, so an unsupported operator throws even
  // when the action or resource happens not to match this request.
  const conditionsHold = conditionBlockHolds(statement.Condition ?? {}, request.context ?? {});
  const actionMatches = elementMatches(statement, 'Action', 'NotAction', request.action, true);
  const resourceMatches = elementMatches(
    statement,
    'Resource',
    'NotResource',
    request.resource,
    false,
  );
  return actionMatches && resourceMatches && conditionsHold;
}

/** Action/NotAction or Resource/NotResource: a statement needs exactly one of the pair. */
function elementMatches(
  statement: PolicyStatement,
  positive: 'Action' | 'Resource',
  negative: 'NotAction' | 'NotResource',
  value: string,
  ignoreCase: boolean,
): boolean {
  const listed = statement[positive];
  const excluded = statement[negative];
  if (listed !== undefined && excluded !== undefined) {
    throw new Error(`IAM statement ${statement.Sid ?? ''} has both ${positive} and ${negative}`);
  }
  // Neither present: AWS rejects such an identity policy, so it never grants or denies anything.
  if (listed === undefined && excluded === undefined) return false;
  const patterns = [listed ?? excluded ?? []].flat();
  const anyMatch = patterns.some((pattern) => wildcard(pattern, ignoreCase).test(value));
  return listed !== undefined ? anyMatch : !anyMatch;
}

/** `*` is any run of characters (including `/` and `:`), `?` exactly one; everything else literal. */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

// ---- conditions -------------------------------------------------------------------------------

type Matcher = (requestValue: string, policyValue: string) => boolean;

// A value that is not a number becomes NaN, which no positive numeric comparison accepts.
const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const numeric =
  (compare: (request: number, policy: number) => boolean): Matcher =>
  (r, p) =>
    compare(toNumber(r), toNumber(p));

/** ArnEquals and ArnLike are the same in AWS: each of the six `:` parts is matched with wildcards. */
const arnLike: Matcher = (r, p) => {
  const [request, policy] = [arnParts(r), arnParts(p)];
  if (!request || !policy) return false;
  return policy.every((part, i) => wildcard(part, false).test(request[i] ?? ''));
};

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  // The resource part may itself contain colons; it is everything after the fifth one.
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

const MATCHERS: Record<string, Matcher> = {
  StringEquals: (r, p) => r === p,
  StringEqualsIgnoreCase: (r, p) => r.toLowerCase() === p.toLowerCase(),
  StringLike: (r, p) => wildcard(p, false).test(r),
  ArnEquals: arnLike,
  ArnLike: arnLike,
  Bool: (r, p) => r.toLowerCase() === p.toLowerCase(),
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
};

/** Negated operators and the positive operator they complement. */
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

interface Operator {
  match: Matcher;
  negated: boolean;
  set: 'ForAllValues' | 'ForAnyValue' | undefined;
  ifExists: boolean;
}

function parseOperator(name: string): Operator | 'Null' {
  const [, set, base = '', ifExists] =
    /^(?:(ForAllValues|ForAnyValue):)?(.*?)(IfExists)?$/.exec(name) ?? [];
  if (base === 'Null' && !set && !ifExists) return 'Null';
  const positive = NEGATED[base] ?? base;
  const match = MATCHERS[positive];
  // Date, IpAddress, Binary... are not implemented: failing loudly beats silently allowing.
  if (!match) throw new Error(`Unsupported IAM condition operator: ${name}`);
  return {
    match,
    negated: positive !== base,
    set: set as Operator['set'],
    ifExists: ifExists !== undefined,
  };
}

function conditionBlockHolds(block: Record<string, Record<string, unknown>>, context: Context) {
  // Operators AND together, and so do the keys under one operator.
  return Object.entries(block).every(([name, keys]) => {
    const operator = parseOperator(name);
    return Object.entries(keys).every(([key, policyValue]) =>
      keyHolds(operator, requestValues(context, key), policyValues(name, policyValue)),
    );
  });
}

function keyHolds(operator: Operator | 'Null', values: string[] | undefined, policy: string[]) {
  // Null: 'true' asks that the key be absent, 'false' that it be present.
  if (operator === 'Null') return policy.some((p) => (p.toLowerCase() === 'true') === !values);

  const { match, negated, set, ifExists } = operator;
  if (!values) {
    if (ifExists) return true;
    // ForAllValues is vacuously true on an empty set (a known pitfall, kept as AWS has it).
    if (set === 'ForAllValues') return true;
    if (set === 'ForAnyValue') return false;
    // AWS documents that a missing key makes a condition false, except that negated operators
    // (StringNotEquals, ArnNotLike...) evaluate to true, since the key cannot equal anything.
    return negated;
  }
  // One request value satisfies the operator if it matches any policy value (OR); for a negated
  // operator, if it matches none of them (NOR).
  const satisfies = (value: string) => policy.some((p) => match(value, p)) !== negated;
  if (set === 'ForAllValues') return values.every(satisfies);
  if (set === 'ForAnyValue') return values.some(satisfies);
  // A plain operator on a multi-valued key (AWS advises a set operator instead): the positive
  // form holds if any request value matches, and a negated form is its exact complement, i.e.
  // holds only if no request value matches any policy value.
  return negated ? values.every(satisfies) : values.some(satisfies);
}

/** Condition key names are case-insensitive in AWS; an empty list counts as absent. */
function requestValues(context: Context, key: string): string[] | undefined {
  const lower = key.toLowerCase();
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === lower)?.[1];
  const values = found === undefined ? [] : [found].flat();
  return values.length > 0 ? values : undefined;
}

function policyValues(operator: string, value: unknown): string[] {
  return [value].flat().map((v) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Error(`IAM condition ${operator} has an unsupported value: ${JSON.stringify(v)}`);
  });
}
