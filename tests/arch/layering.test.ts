import { describe, expect, it } from 'vitest';
import { type Import, importSpecifiers, importsOf, resolveImport, sourceFiles } from './imports.ts';

// The layers (issue 12): the domain (shared/src, less its adapters) is pure and reaches no
// adapter, no AWS SDK, no function; the AWS SDK is used only by the adapters
// (shared/src/adapters) and infra/; the web app reaches no adapter, no SDK, no function
// and nothing of the embedded cloud. Every import counts, type-only ones too.

const under = (folder: string) => (path: string | undefined) => path?.startsWith(folder) ?? false;
const adapter = under('shared/src/adapters/');
const shared = under('shared/src/');
const functions = under('functions/');
const infra = under('infra/');
const web = under('web/');
const awsSdk = (i: Import) => i.specifier.startsWith('@aws-sdk/');

interface Rule {
  name: string;
  /** The files the rule is about. */
  covers(file: string): boolean;
  forbids(i: Import): boolean;
  /** A file of the rule and an import it must refuse, to show the rule can fail. */
  planted: { from: string; specifier: string };
}

const rules: Rule[] = [
  {
    name: 'the domain imports no adapter and no AWS SDK',
    covers: (file) => shared(file) && !adapter(file),
    forbids: (i) => adapter(i.target) || awsSdk(i),
    planted: { from: 'shared/src/tips/tip.ts', specifier: '../adapters/dynamodb/event-store.ts' },
  },
  {
    name: 'shared/src (domain and adapters) imports nothing of functions/, infra/ or web/',
    covers: shared,
    forbids: (i) => functions(i.target) || infra(i.target) || web(i.target),
    planted: { from: 'shared/src/hazards/hazard.ts', specifier: '#functions/dependencies.ts' },
  },
  {
    // The functions' own tests may name the SDK's clients and commands: aws-sdk-client-mock
    // stubs the clients the adapters build, by those classes.
    name: 'the AWS SDK is imported only in shared/src/adapters and infra/',
    covers: (file) =>
      !adapter(file) && !infra(file) && !(functions(file) && file.endsWith('.test.ts')),
    forbids: awsSdk,
    planted: { from: 'functions/src/workflow/renew.ts', specifier: '@aws-sdk/client-sfn' },
  },
  {
    name: 'functions/ imports nothing of infra/ or web/',
    covers: functions,
    forbids: (i) => infra(i.target) || web(i.target),
    planted: { from: 'functions/src/workflow/plan.ts', specifier: '#local/scaled-clock.ts' },
  },
  {
    name: 'the web app imports no adapter, no AWS SDK, nothing of functions/ or infra/',
    covers: web,
    forbids: (i) => adapter(i.target) || awsSdk(i) || functions(i.target) || infra(i.target),
    planted: {
      from: 'web/src/lib/api.ts',
      specifier: '@qingling/shared/adapters/local/file-outbox.ts',
    },
  },
];

/** The imports a rule refuses, each named by its file and its specifier. */
const broken = (rule: Rule, imports: readonly Import[]) =>
  imports
    .filter((i) => rule.covers(i.from) && rule.forbids(i))
    .map((i) => `${i.from} imports '${i.specifier}'`);

const imports = importsOf(sourceFiles('shared/src', 'functions', 'infra', 'web/src'));

describe('layers', () => {
  it('are read from enough of the code to mean something', () => {
    const from = new Set(imports.map((i) => i.from));
    for (const folder of ['shared/src/', 'shared/src/adapters/', 'functions/', 'infra/', 'web/']) {
      expect([...from].filter(under(folder)).length, folder).toBeGreaterThan(5);
    }
    // The SDK is found where it is allowed, or the rules would pass on nothing.
    expect(imports.some((i) => adapter(i.from) && awsSdk(i))).toBe(true);
  });

  it.each(rules)('$name', (rule) => {
    expect(broken(rule, imports), rule.name).toEqual([]);
  });

  it.each(rules)('refuse a forbidden import: $name', (rule) => {
    const { from, specifier } = rule.planted;
    const planted = { from, specifier, target: resolveImport(from, specifier) };
    expect(broken(rule, [...imports, planted])).toEqual([`${from} imports '${specifier}'`]);
  });
});

describe('the import scanner', () => {
  it('reads every kind of import, type-only ones and those of a component script', () => {
    const text = [
      "import type { A } from './a.ts';",
      "import { type B, c } from '@qingling/shared/b.ts';",
      "export * from '#functions/c.ts';",
      "export { d } from '../d.ts';",
      "const e = await import('@aws-sdk/client-sfn');",
      "let f: import('./f.ts').F;",
      "import './g.ts';",
    ].join('\n');
    const expected = [
      './a.ts',
      '@qingling/shared/b.ts',
      '#functions/c.ts',
      '../d.ts',
      '@aws-sdk/client-sfn',
      './f.ts',
      './g.ts',
    ];
    expect(importSpecifiers('x.ts', text).sort()).toEqual(expected.sort());
    const component = `<script lang="ts">\n${text}\n</script>\n<p>import nothing from 'here'</p>`;
    expect(importSpecifiers('X.svelte', component).sort()).toEqual(expected.sort());
  });

  it('resolves relative paths and the workspace aliases to repository files', () => {
    expect(resolveImport('shared/src/tips/tip.ts', '../adapters/dynamodb/event-store.ts')).toBe(
      'shared/src/adapters/dynamodb/event-store.ts',
    );
    expect(
      resolveImport('web/src/lib/api.ts', '@qingling/shared/adapters/aws/sns-notifier.ts'),
    ).toBe('shared/src/adapters/aws/sns-notifier.ts');
    expect(resolveImport('infra/local/src/main.ts', '#functions/dependencies.ts')).toBe(
      'functions/src/dependencies.ts',
    );
    expect(resolveImport('functions/src/x.ts', '#local/paths.ts')).toBe('infra/local/src/paths.ts');
    expect(resolveImport('web/src/routes/+page.svelte', '#lib/api.ts')).toBe('web/src/lib/api.ts');
    expect(resolveImport('web/src/routes/+page.svelte', '$lib/api.ts')).toBe('web/src/lib/api.ts');
    expect(resolveImport('functions/src/x.ts', '@aws-sdk/client-sfn')).toBeUndefined();
    expect(resolveImport('web/src/routes/+page.svelte', '$app/state')).toBeUndefined();
  });
});
