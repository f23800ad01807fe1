import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The ASL files are the state machines' single source. CDK applies its definition
 * substitutions to them; the embedded cloud and the tests read the same file and apply
 * the same substitution map with local values, through this function.
 */
export const hazardLifecyclePath = fileURLToPath(
  new URL('./hazard-lifecycle.asl.json', import.meta.url),
);

export const tipLifecyclePath = fileURLToPath(new URL('./tip-lifecycle.asl.json', import.meta.url));

/**
 * The records whose lifecycle a state machine runs: each kind's ASL file and the field of
 * the task input that names the record. CDK builds a state machine of each (with the same
 * four task functions); the embedded cloud a conductor of each.
 */
export const recordLifecycles = {
  hazard: { definitionPath: hazardLifecyclePath, field: 'hazardId' },
  tip: { definitionPath: tipLifecyclePath, field: 'tipId' },
} as const;

/**
 * A definition's fingerprint: its executions carry it into Plan, whose function knows the
 * fingerprint deployed last; an execution of an older definition hands over to the next
 * generation, which runs the new one (DESIGN.md, principle 1).
 */
export function definitionHash(path: string): string {
  return createHash('sha256').update(readFileSync(path, 'utf8')).digest('hex').slice(0, 16);
}

export function loadDefinition(
  path: string,
  values: { partition: string; functionArn: (name: string) => string },
): unknown {
  const text = readFileSync(path, 'utf8')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's substitution token
    .replaceAll('${Partition}', values.partition)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's substitution token
    .replaceAll('${DefinitionHash}', definitionHash(path))
    .replace(/\$\{(\w+)FunctionArn\}/g, (_token, name: string) => values.functionArn(name));
  return JSON.parse(text);
}

/** Local values: the runner never calls these ARNs (each task has a local handler). */
export const localSubstitutions = {
  partition: 'aws',
  functionArn: (name: string) => `arn:aws:lambda:cn-north-1:000000000000:function:${name}`,
};
