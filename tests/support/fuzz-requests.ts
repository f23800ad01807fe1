import { proofHeader } from '@qingling/shared/api/proof-of-work.ts';
import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import fc from 'fast-check';
import * as z from 'zod';

/**
 * Requests for the route fuzzer (tests/integration/fuzz-routes.test.ts), generated from the
 * route table: each route's documented examples mutated, values made from its own schemas
 * (so that discriminated commands, enums and patterns are reached, not only refused), fully
 * random JSON, bodies that are no JSON at all, wrong content types, junk query strings and
 * path segments, and valid or junk tokens.
 */

/** One HTTP request as it goes on the wire: path and query are raw (already encoded). */
export interface FuzzRequest {
  method: string;
  /** The raw request target: path and query string, as sent. */
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** How it was made, for the failure message. */
  how: string[];
}

/** What the generators need from the running system. */
export interface FuzzContext {
  /** Values that name real records, per input name (path, query or body, at any depth). */
  records: Record<string, readonly unknown[]>;
  /** Valid tokens of roles the route admits, and of roles it does not. */
  tokens: { admitted: readonly string[]; refused: readonly string[]; all: readonly string[] };
}

// ---------------------------------------------------------------------------------------
// JSON with what JSON.stringify cannot write: raw number text, duplicate keys.

/** Emitted verbatim into the JSON text (1e400, -0, 123456789012345678901234567890). */
class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** An object whose key/value pairs may repeat a key (JSON.parse keeps the last). */
class PairsJson {
  readonly pairs: [string, unknown][];
  constructor(pairs: [string, unknown][]) {
    this.pairs = pairs;
  }
}

export function toJsonText(value: unknown, depth = 0): string {
  if (value instanceof RawJson) return value.text;
  // Wrapped many times over: deep enough (deepNesting sends raw text far deeper); the test's
  // own stack is smaller in a busy vitest worker.
  if (depth > 500) return 'null';
  const inner = (item: unknown) => toJsonText(item, depth + 1);
  if (value instanceof PairsJson) {
    return `{${value.pairs.map(([key, item]) => `${JSON.stringify(key)}:${inner(item)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(inner).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${inner(item)}`)
      .join(',')}}`;
  }
  // undefined (a dropped field) has no JSON: write null in arrays, as JSON.stringify does.
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------
// Junk values

const nastyPieces = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uDC00b',
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  'مرحبا',
  'שלום',
  '\u200B', // zero-width space
  '\u200D',
  '\uFEFF',
  '\u2028',
  '\u2029',
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\r\n',
  '\t',
  '\u00A0',
  '\u3000',
  'ｆｕｌｌ１２３',
  '①②③',
  '𝕏𝔶',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  'Ω',
  '\uFFFD',
  '\uFFFF',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the junk
  '${jndi:x}',
  '{{7*7}}',
  '%s%n',
  '../../etc/passwd',
  '\\',
  '"',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-1',
  '1e400',
  '9'.repeat(40),
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  'cq-gecheng',
  '仓库安全出口被货物堵住',
];

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyPieces) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...nastyPieces), fc.string({ maxLength: 8 })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  {
    weight: 1,
    // Huge: past every field's limit, under the API's 1 MB body limit.
    arbitrary: fc
      .tuple(
        fc.constantFrom('a', '中', '\u200B', '😀', '\uD800'),
        fc.integer({ min: 1_000, max: 150_000 }),
      )
      .map(([unit, count]) => unit.repeat(count)),
  },
);

const extremeNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    1.5,
    0.1,
    2 ** 31,
    -(2 ** 31),
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc
    .constantFrom(
      '1e400',
      '-1e400',
      '-0',
      '123456789012345678901234567890',
      '1E-400',
      '0.0000000000000000001',
    )
    .map((text) => new RawJson(text)),
  fc.double(),
  fc.integer(),
);

/** Keys that a careless merge or lookup turns into prototype pollution. */
const dangerousKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

const pollution: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom(...dangerousKeys),
    fc.constantFrom<unknown>({ polluted: true }, { toString: 1 }, 'x', null, 1),
  )
  .map(([key, value]) => new PairsJson([[key, value]]));

const deepNesting: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('[]', '{"a":}'))
  .map(([depth, shape]) =>
    shape === '[]'
      ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
      : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: extremeNumber },
  {
    weight: 1,
    // A new copy each time: one shared {} put in two places, then given a key, became its
    // own child (a cycle, and the mutations' walk overflowed the stack).
    arbitrary: fc
      .constantFrom<unknown>(null, true, false, '', ' ', [], {}, [null], [''])
      .map((value) => structuredClone(value)),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: deepNesting },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(nastyString, extremeNumber), { minLength: 0, maxLength: 300 }),
  },
);

// ---------------------------------------------------------------------------------------
// Values from a route's own schema (JSON Schema of its input), record inputs pointed at real
// records. Not always valid (a pattern's string may still fail a refine): near-valid is the point.

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.core.$ZodType): {
  root: JsonSchema;
  defs: Record<string, JsonSchema>;
} {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { root, defs: (root.$defs ?? {}) as Record<string, JsonSchema> };
}

/**
 * One arbitrary per pattern: building one costs tens of milliseconds (the UUID pattern's
 * alternatives, ~60 ms on the 2-core machine), and a $ref's values are built anew for each
 * request (`chain`): built every time, they took 190 of the fuzz's 435 s. Arbitraries keep
 * no state between values, so one serves them all.
 */
const matchingByPattern = new Map<string, fc.Arbitrary<string> | null>();
function stringMatching(pattern: string): fc.Arbitrary<string> | null {
  let matching = matchingByPattern.get(pattern);
  if (matching === undefined) {
    try {
      matching = fc.stringMatching(new RegExp(pattern));
    } catch {
      // A pattern fast-check cannot read: the other options stand in.
      matching = null;
    }
    matchingByPattern.set(pattern, matching);
  }
  return matching;
}

function stringFromSchema(node: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (node.format === 'uuid') options.push(fc.uuid({ version: 4 }));
  if (node.format === 'date') {
    options.push(
      fc
        .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
      fc
        .date({ min: new Date('2025-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
    );
  }
  if (node.format === 'date-time') {
    options.push(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()));
  }
  if (node.format === 'email') options.push(fc.emailAddress());
  if (node.format === 'uri' || node.format === 'url') options.push(fc.webUrl());
  if (typeof node.pattern === 'string') {
    const matching = stringMatching(node.pattern);
    if (matching) options.push(matching);
  }
  const max = typeof node.maxLength === 'number' ? node.maxLength : 60;
  const min = typeof node.minLength === 'number' ? node.minLength : 0;
  if (!options.length) {
    options.push(
      fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 80) }),
      fc.constantFrom('仓库安全出口被货物堵住，消防通道上停满电动车。', '王某', '东门社区'),
    );
  }
  options.push(fc.string({ minLength: Math.max(0, max - 1), maxLength: max + 2 }));
  return fc.oneof(...options);
}

function fromSchema(
  node: JsonSchema | undefined,
  defs: Record<string, JsonSchema>,
  records: FuzzContext['records'],
  name: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  if (!node || depth > 12) return fc.constant(null);
  const known = name ? records[name] : undefined;
  const own = ((): fc.Arbitrary<unknown> => {
    if (typeof node.$ref === 'string') {
      const target = defs[node.$ref.split('/').pop() ?? ''];
      return fc.constant(null).chain(() => fromSchema(target, defs, records, name, depth + 1));
    }
    if ('const' in node) return fc.constant(node.const);
    if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
    for (const key of ['oneOf', 'anyOf']) {
      const choices = node[key];
      if (Array.isArray(choices) && choices.length) {
        return fc.oneof(
          ...choices.map((choice) =>
            fromSchema(choice as JsonSchema, defs, records, name, depth + 1),
          ),
        );
      }
    }
    const type = Array.isArray(node.type) ? node.type[0] : node.type;
    switch (type) {
      case 'object': {
        const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((node.required ?? []) as string[]);
        const entries = Object.entries(properties);
        if (!entries.length)
          return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
            maxKeys: 3,
          });
        return fc.record(
          Object.fromEntries(
            entries.map(([key, child]) => [key, fromSchema(child, defs, records, key, depth + 1)]),
          ),
          { requiredKeys: entries.map(([key]) => key).filter((key) => required.has(key)) },
        );
      }
      case 'array': {
        const items = node.items as JsonSchema | undefined;
        const minLength = typeof node.minItems === 'number' ? node.minItems : 0;
        const maxLength = Math.min(typeof node.maxItems === 'number' ? node.maxItems : 4, 8);
        return fc.array(fromSchema(items, defs, records, name, depth + 1), {
          minLength: Math.min(minLength, maxLength),
          maxLength,
        });
      }
      case 'integer':
      case 'number': {
        const low = typeof node.minimum === 'number' ? node.minimum : -1_000_000;
        const high = typeof node.maximum === 'number' ? node.maximum : 1_000_000;
        const inRange =
          type === 'integer'
            ? fc.integer({
                min: Math.max(low, Number.MIN_SAFE_INTEGER),
                max: Math.min(high, Number.MAX_SAFE_INTEGER),
              })
            : fc.double({ min: low, max: high, noNaN: true });
        return fc.oneof(
          { weight: 4, arbitrary: inRange },
          { weight: 1, arbitrary: fc.constantFrom(low, high, low - 1, high + 1, 0) },
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'string':
        return stringFromSchema(node);
      case 'null':
        return fc.constant(null);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  if (!known?.length) return own;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: own },
  );
}

// ---------------------------------------------------------------------------------------
// Mutating a valid document

type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'wrap'; at: number; how: 'array' | 'object' }
  | { kind: 'infix'; at: number; piece: string }
  | { kind: 'duplicate'; at: number; value: unknown; last: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: junkValue }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...dangerousKeys), fc.string({ maxLength: 12 })),
    value: junkValue,
  }),
  fc.record({
    kind: fc.constant('wrap' as const),
    at: fc.nat(),
    how: fc.constantFrom('array' as const, 'object' as const),
  }),
  fc.record({ kind: fc.constant('infix' as const), at: fc.nat(), piece: nastyString }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    value: junkValue,
    last: fc.boolean(),
  }),
);

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

function slotsOf(value: unknown, into: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push({ parent: value, key: index });
      slotsOf(item, into);
    });
  } else if (
    value &&
    typeof value === 'object' &&
    !(value instanceof RawJson) &&
    !(value instanceof PairsJson)
  ) {
    for (const [key, item] of Object.entries(value)) {
      into.push({ parent: value as Record<string, unknown>, key });
      slotsOf(item, into);
    }
  }
  return into;
}

function containersOf(value: unknown): (Record<string, unknown> | unknown[])[] {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (node: unknown) => {
    if (node instanceof RawJson || node instanceof PairsJson) return;
    if (Array.isArray(node)) {
      containers.push(node);
      for (const item of node) walk(item);
    } else if (node && typeof node === 'object') {
      containers.push(node as Record<string, unknown>);
      for (const item of Object.values(node)) walk(item);
    }
  };
  walk(value);
  return containers;
}

function setSlot(slot: Slot, value: unknown) {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else
    Object.defineProperty(slot.parent, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/** Applies mutations to a deep copy of the document. */
export function applyMutations(document: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(document);
  for (const change of mutations) {
    const slots = slotsOf(root);
    const slot = slots.length ? slots[change.at % slots.length] : undefined;
    switch (change.kind) {
      case 'drop':
        if (!slot) root = undefined;
        else if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete slot.parent[slot.key as string];
        break;
      case 'replace':
        if (slot) setSlot(slot, change.value);
        else root = change.value;
        break;
      case 'add': {
        const containers = containersOf(root).filter((node) => !Array.isArray(node));
        const target = containers[change.at % Math.max(containers.length, 1)];
        if (target) {
          Object.defineProperty(target, change.key, {
            value: change.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        break;
      }
      case 'wrap':
        if (slot) {
          const current = Array.isArray(slot.parent)
            ? slot.parent[slot.key as number]
            : slot.parent[slot.key as string];
          setSlot(slot, change.how === 'array' ? [current] : { value: current });
        } else root = change.how === 'array' ? [root] : { value: root };
        break;
      case 'infix':
        if (slot) {
          const current = Array.isArray(slot.parent)
            ? slot.parent[slot.key as number]
            : slot.parent[slot.key as string];
          if (typeof current === 'string') {
            const cut = change.at % (current.length + 1);
            setSlot(slot, `${current.slice(0, cut)}${change.piece}${current.slice(cut)}`);
          } else setSlot(slot, change.piece);
        }
        break;
      case 'duplicate': {
        // The same key twice in one object: which one wins is the parser's choice.
        if (slot && !Array.isArray(slot.parent)) {
          const parent = slot.parent;
          const pairs: [string, unknown][] = Object.entries(parent);
          const index = pairs.findIndex(([key]) => key === slot.key);
          pairs.splice(change.last ? index + 1 : index, 0, [slot.key as string, change.value]);
          const replacement = new PairsJson(pairs);
          if (parent === root) root = replacement;
          else {
            const owner = slotsOf(root).find((candidate) =>
              Array.isArray(candidate.parent)
                ? candidate.parent[candidate.key as number] === parent
                : candidate.parent[candidate.key as string] === parent,
            );
            if (owner) setSlot(owner, replacement);
          }
        }
        break;
      }
    }
  }
  return root;
}

/** The document with the inputs that name records pointed at real ones (or left as is). */
function pointAtRecords(document: unknown, records: FuzzContext['records']): fc.Arbitrary<unknown> {
  if (Array.isArray(document))
    return fc.tuple(...document.map((item) => pointAtRecords(item, records)));
  if (document && typeof document === 'object') {
    const entries = Object.entries(document);
    return fc
      .tuple(
        ...entries.map(([key, value]) => {
          const known = records[key];
          const kept = pointAtRecords(value, records);
          return known?.length ? fc.oneof(kept, fc.constantFrom(...known)) : kept;
        }),
      )
      .map((values) => Object.fromEntries(entries.map(([key], index) => [key, values[index]])));
  }
  return fc.constant(document);
}

// ---------------------------------------------------------------------------------------
// Bodies, queries, paths, headers

const notJson: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      'null',
      'undefined',
      'NaN',
      'true',
      '"just a string"',
      '{',
      '[',
      '{"a":',
      '{"a" 1}',
      "{'a':1}",
      '{"a":1,}',
      '\uFEFF{}',
      '{}garbage',
      '%7B%7D',
      'a=1&b=2&__proto__[x]=1',
      '<?xml version="1.0"?><a/>',
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
    )
    .map((text) => Buffer.from(text, 'utf8')),
  fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text, 'utf8')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
);

function bodyArbitrary(route: RouteDefinition, context: FuzzContext) {
  const bodyLabelled = (how: string, arbitrary: fc.Arbitrary<Buffer | undefined>) =>
    arbitrary.map((body) => ({ how, body }));
  const randomJson = fc
    .jsonValue({ maxDepth: 4 })
    .map((value) => Buffer.from(JSON.stringify(value) ?? 'null'));
  if (!route.request) {
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant({ how: 'no body', body: undefined }) },
      { weight: 1, arbitrary: bodyLabelled('random JSON', randomJson) },
      { weight: 1, arbitrary: bodyLabelled('not JSON', notJson) },
    );
  }
  const { root, defs } = jsonSchemaOf(route.request.body);
  const example = pointAtRecords(route.request.example, context.records);
  const fromOwnSchema = fromSchema(root, defs, context.records, undefined, 0);
  const text = (value: unknown) => Buffer.from(toJsonText(value), 'utf8');
  const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });
  return fc.oneof(
    { weight: 3, arbitrary: bodyLabelled('example', example.map(text)) },
    {
      weight: 5,
      arbitrary: bodyLabelled(
        'mutated example',
        fc
          .tuple(example, mutations)
          .map(([document, changes]) => text(applyMutations(document, changes))),
      ),
    },
    { weight: 5, arbitrary: bodyLabelled('from the schema', fromOwnSchema.map(text)) },
    {
      weight: 2,
      arbitrary: bodyLabelled(
        'mutated from the schema',
        fc
          .tuple(fromOwnSchema, mutations)
          .map(([document, changes]) => text(applyMutations(document, changes))),
      ),
    },
    { weight: 1, arbitrary: bodyLabelled('random JSON', randomJson) },
    { weight: 1, arbitrary: bodyLabelled('junk JSON', junkValue.map(text)) },
    { weight: 1, arbitrary: bodyLabelled('not JSON', notJson) },
    {
      weight: 1,
      arbitrary: bodyLabelled(
        'truncated example',
        fc.tuple(example, fc.nat()).map(([document, at]) => {
          const whole = toJsonText(document);
          return Buffer.from(whole.slice(0, at % Math.max(whole.length, 1)), 'utf8');
        }),
      ),
    },
    { weight: 1, arbitrary: fc.constant({ how: 'no body', body: undefined }) },
  );
}

/** Percent-encodes any string, lone surrogates included (as the bytes CESU-8 would give). */
function percentEncode(value: string): string {
  let out = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else out += encodeURIComponent(character);
  }
  return out;
}

const rawPieces = [
  '%',
  '%%',
  '%2',
  '%zz',
  '%2F',
  '%2f',
  '%5C',
  '%00',
  '%0A',
  '%E0%A4%A',
  '%C0%AF',
  '%C0%80',
  '%ED%A0%80',
  '%FF%FE',
  '%F4%90%80%80',
  '%uD800',
  '%25',
  '%252F',
  '.',
  '..',
  '%2e',
  '%2e%2e',
  '.%2e',
  ';',
  ';a=b',
  '~',
  '+',
  '&',
  '=',
  ':',
  '@',
  '!',
  '$',
  "'",
  '(',
  '*',
  ',',
];

/** A path segment or query word as it goes on the wire: encoded, or raw junk. */
const rawWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nastyString.map((value) => percentEncode(value.slice(0, 2_000))) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...rawPieces), fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/)), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '%41', '%E4%B8%AD', '%2F'), fc.integer({ min: 100, max: 3_000 }))
      .map(([unit, count]) => unit.repeat(count)),
  },
);

function pathArbitrary(route: RouteDefinition, context: FuzzContext) {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  if (!names.length) return fc.constant({ how: 'path', path: route.path as string });
  const schema = route.pathParameters ? jsonSchemaOf(route.pathParameters.schema) : undefined;
  const properties = (schema?.root.properties ?? {}) as Record<string, JsonSchema>;
  const segment = (name: string) => {
    const known = [
      ...(context.records[name] ?? []),
      ...(route.pathParameters?.example[name] ? [route.pathParameters.example[name]] : []),
    ].map((value) => encodeURIComponent(String(value)));
    return fc.oneof(
      { weight: 6, arbitrary: known.length ? fc.constantFrom(...known) : rawWord },
      {
        weight: 1,
        arbitrary: fromSchema(properties[name], schema?.defs ?? {}, {}, name, 0).map((value) =>
          percentEncode(String(value)),
        ),
      },
      { weight: 2, arbitrary: rawWord },
    );
  };
  return fc.tuple(...names.map(segment)).map((values) => {
    let index = 0;
    return {
      how: `path ${values.map((value) => value.slice(0, 40)).join(' ')}`,
      path: route.path.replace(/\{(\w+)\}/g, () => values[index++] ?? ''),
    };
  });
}

function queryArbitrary(route: RouteDefinition, context: FuzzContext) {
  const schema = route.query ? jsonSchemaOf(route.query.schema) : undefined;
  const properties = (schema?.root.properties ?? {}) as Record<string, JsonSchema>;
  const keys = [...Object.keys(properties), ...Object.keys(route.query?.example ?? {})];
  const documented = Object.entries(route.query?.example ?? {});
  const value = (name: string) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fromSchema(properties[name], schema?.defs ?? {}, context.records, name, 0).map(
          (item) => percentEncode(String(item)),
        ),
      },
      { weight: 2, arbitrary: rawWord },
    );
  const pair = fc.oneof(
    ...(keys.length
      ? [
          {
            weight: 4,
            arbitrary: fc
              .constantFrom(...keys)
              .chain((key) => value(key).map((item) => `${key}=${item}`)),
          },
        ]
      : []),
    { weight: 1, arbitrary: fc.tuple(rawWord, rawWord).map(([key, item]) => `${key}=${item}`) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...dangerousKeys)
        .chain((key) => rawWord.map((item) => `${key}=${item}`)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '=', '&', 'a', 'a=', '=a', '&&&', 'a=1=2', '?', '#'),
    },
  );
  const documentedText = documented
    .map(([key, item]) => `${key}=${encodeURIComponent(String(context.records[key]?.[0] ?? item))}`)
    .join('&');
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ how: 'no query', query: documentedText }) },
    {
      weight: 4,
      arbitrary: fc.array(pair, { minLength: 1, maxLength: 6 }).chain((pairs) =>
        fc.boolean().map((keepDocumented) => ({
          how: 'junk query',
          query: [...(keepDocumented && documentedText ? [documentedText] : []), ...pairs].join(
            '&',
          ),
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...(keys.length ? keys : ['a'])),
          fc.array(rawWord, { minLength: 2, maxLength: 5 }),
        )
        .map(([key, values]) => ({
          how: 'repeated key',
          query: values.map((item) => `${key}=${item}`).join('&'),
        })),
    },
  );
}

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'image/jpeg',
  'application/xml',
  ';;;',
  '*/*',
];

/** Tokens that must not let anyone in: no token, garbled, tampered, forged, wrong scheme. */
function junkTokens(valid: string): fc.Arbitrary<string | undefined> {
  const [header = '', payload = '', signature = ''] = valid.split('.');
  const decoded = (() => {
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      return {};
    }
  })();
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const forged = [
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...decoded, 'qingling:roles': 'administrator' })}.`,
    `${header}.${b64({ ...decoded, 'qingling:roles': 'administrator' })}.${signature}`,
    `${header}.${b64({ ...decoded, exp: 1 })}.${signature}`,
    `${header}.${payload}.${signature.slice(0, -3)}`,
    `${header}.${payload}`,
    `${header}..${signature}`,
    `${b64({ alg: 'HS256' })}.${b64({ sub: 'x' })}.${signature}`,
    `${header}.${b64('not an object')}.${signature}`,
    `${header}.${b64({ ...decoded, sub: '\u0000'.repeat(3) })}.${signature}`,
  ];
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'Bearer x',
      'Bearer a.b.c',
      'bearer ....',
      'Basic YWRtaW46YWRtaW4=',
      `Token ${valid}`,
      `Bearer ${valid}x`,
      `Bearer  ${valid}`,
      `${valid}`,
    ),
    fc.constantFrom(...forged).map((token) => `Bearer ${token}`),
    fc.stringMatching(/^[\x21-\x7e]{0,300}$/).map((token) => `Bearer ${token}`),
    fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
  );
}

const maxTargetLength = 12_000;

const methods: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function requestArbitrary(
  route: RouteDefinition,
  context: FuzzContext,
): fc.Arbitrary<FuzzRequest> {
  const signedIn = route.access.kind === 'signedIn';
  const anyToken = context.tokens.all[0] ?? 'x.y.z';
  const authorization: fc.Arbitrary<{ how: string; value: string | undefined }> = signedIn
    ? fc.oneof(
        {
          weight: 6,
          arbitrary: fc.constantFrom(...context.tokens.admitted).map((token) => ({
            how: 'admitted role',
            value: `Bearer ${token}`,
          })),
        },
        ...(context.tokens.refused.length
          ? [
              {
                weight: 1,
                arbitrary: fc.constantFrom(...context.tokens.refused).map((token) => ({
                  how: 'refused role',
                  value: `Bearer ${token}` as string | undefined,
                })),
              },
            ]
          : []),
        {
          weight: 2,
          arbitrary: junkTokens(anyToken).map((value) => ({ how: 'junk token', value })),
        },
      )
    : fc.oneof(
        { weight: 12, arbitrary: fc.constant({ how: 'anonymous', value: undefined }) },
        {
          weight: 1,
          arbitrary: junkTokens(anyToken).map((value) => ({ how: 'junk token', value })),
        },
      );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | undefined>('application/json') },
    { weight: 3, arbitrary: fc.constantFrom<string | undefined>(...contentTypes, undefined) },
  );
  const proof = fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | undefined>(undefined) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom('', '.', '..', 'a.b.c', '0.0.0.0', '1:2:3'),
        fc.stringMatching(/^[\x21-\x7e]{0,200}$/),
      ),
    },
  );
  const method = fc.oneof(
    { weight: 14, arbitrary: fc.constant(route.method as string) },
    { weight: 1, arbitrary: fc.constantFrom(...methods) },
  );
  return fc
    .record({
      method,
      path: pathArbitrary(route, context),
      query: queryArbitrary(route, context),
      body: bodyArbitrary(route, context),
      authorization,
      contentType,
      proof,
    })
    .map(({ method, path, query, body, authorization, contentType, proof }) => {
      const headers: Record<string, string> = {};
      if (authorization.value !== undefined) headers.authorization = authorization.value;
      if (contentType !== undefined) headers['content-type'] = contentType;
      if (proof !== undefined) headers[proofHeader] = proof;
      // Under Node's 16 KB limit of the request head (its 431 would answer, not the API's).
      const target = `${path.path}${query.query ? `?${query.query}` : ''}`.slice(
        0,
        maxTargetLength,
      );
      const request: FuzzRequest = {
        method,
        target,
        headers,
        body: body.body,
        how: [
          `${method} ${route.operationId}`,
          authorization.how,
          path.how,
          query.how,
          body.how,
          `content-type ${contentType}`,
        ],
      };
      // fast-check prints a failing request this way: short, and enough to read it.
      return Object.assign(request, {
        [fc.toStringMethod]: () =>
          `${request.how.join(' | ')}: ${method} ${target.slice(0, 200)} (${body.body?.length ?? 0} bytes)`,
      });
    });
}
