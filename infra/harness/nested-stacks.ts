import type { Resource, TemplateJson } from './template.ts';

/**
 * Nested stacks (AWS::CloudFormation::Stack) folded into their parent's template, as if
 * CloudFormation had deployed them in one: each nested resource keeps its logical id, a
 * nested `Ref` to one of its parameters becomes the value the parent passes, and a parent's
 * `Fn::GetAtt [<nested stack>, Outputs.<name>]` becomes that output's value. A
 * `DependsOn` on a nested stack waits for every resource in it. The API's route groups are
 * nested stacks (CloudFormation's 500 resources per template); the harness and the infra
 * tests read the whole deployment through this one template.
 */
export function flattenNestedStacks(
  template: TemplateJson,
  nestedTemplateOf: (logicalId: string, resource: Resource) => TemplateJson,
): TemplateJson {
  const resources: Record<string, Resource> = {};
  const conditions: Record<string, unknown> = { ...template.Conditions };
  const outputsOf = new Map<string, Record<string, unknown>>();
  const membersOf = new Map<string, string[]>();

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const nested = flattenNestedStacks(nestedTemplateOf(logicalId, resource), nestedTemplateOf);
    const passed = (resource.Properties?.Parameters ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(nested.Parameters ?? {})) {
      if (!(name in passed) && nested.Parameters?.[name]?.Default === undefined) {
        throw new Error(`Nested stack ${logicalId} is given no value for its parameter ${name}`);
      }
    }
    const values: Record<string, unknown> = Object.fromEntries(
      Object.entries(nested.Parameters ?? {}).map(([name, parameter]) => [
        name,
        passed[name] ?? parameter.Default,
      ]),
    );
    const inParent = (value: unknown) => substituteParameters(value, values);
    for (const [id, member] of Object.entries(nested.Resources)) {
      if (id in template.Resources || id in resources) {
        throw new Error(`Nested stack ${logicalId} repeats the logical id ${id}`);
      }
      // A DependsOn of the nested stack holds each of its resources, as CloudFormation
      // creates none of them before the stack itself may start.
      const waited = [resource.DependsOn ?? [], member.DependsOn ?? []].flat();
      resources[id] = {
        ...(inParent(member) as Resource),
        ...(waited.length ? { DependsOn: [...new Set(waited)] } : {}),
      };
    }
    for (const [name, condition] of Object.entries(nested.Conditions ?? {})) {
      if (name in conditions)
        throw new Error(`Nested stack ${logicalId} repeats condition ${name}`);
      conditions[name] = inParent(condition);
    }
    outputsOf.set(
      logicalId,
      Object.fromEntries(
        Object.entries(nested.Outputs ?? {}).map(([name, output]) => [
          name,
          inParent(output.Value),
        ]),
      ),
    );
    membersOf.set(logicalId, Object.keys(nested.Resources));
  }

  const inlineOutputs = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inlineOutputs);
    if (value === null || typeof value !== 'object') return value;
    const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && outputsOf.has(String(getAtt[0]))) {
      const [id, attribute] = getAtt as [string, string];
      const name = attribute.replace(/^Outputs\./, '');
      const outputs = outputsOf.get(id) ?? {};
      if (!(name in outputs)) throw new Error(`Nested stack ${id} has no output ${name}`);
      return outputs[name];
    }
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        inlineOutputs(item),
      ]),
    );
  };
  const waitFor = (dependsOn: Resource['DependsOn']) => {
    if (dependsOn === undefined) return undefined;
    return [dependsOn].flat().flatMap((id) => membersOf.get(id) ?? [id]);
  };

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::CloudFormation::Stack') continue;
    resources[logicalId] = resource;
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const flattened = inlineOutputs(resource) as Resource;
    const dependsOn = waitFor(resource.DependsOn);
    resources[logicalId] = dependsOn ? { ...flattened, DependsOn: dependsOn } : flattened;
  }
  const flattened: TemplateJson = { ...template, Resources: resources };
  if (Object.keys(conditions).length) flattened.Conditions = conditions;
  if (template.Outputs) {
    flattened.Outputs = inlineOutputs(template.Outputs) as TemplateJson['Outputs'];
  }
  return flattened;
}

/** A nested template's value with its parameters replaced by what the parent passes. */
function substituteParameters(value: unknown, values: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => substituteParameters(item, values));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [key, argument] = first;
    if (key === 'Ref' && typeof argument === 'string' && argument in values) {
      return values[argument];
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument)
        ? (argument as [string, Record<string, unknown>])
        : [argument as string, {}];
      const named = [...text.matchAll(/\$\{([^}!][^}.]*)\}/g)]
        .map((match) => match[1] as string)
        .filter((name) => name in values && !(name in variables));
      const substituted = substituteParameters(variables, values) as Record<string, unknown>;
      for (const name of named) substituted[name] = values[name];
      return Object.keys(substituted).length
        ? { 'Fn::Sub': [text, substituted] }
        : { 'Fn::Sub': text };
    }
  }
  return Object.fromEntries(
    entries.map(([key, item]) => [key, substituteParameters(item, values)]),
  );
}
