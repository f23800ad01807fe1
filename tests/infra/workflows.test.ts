import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/embedded-cloud.ts';

const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

const directory = join(repositoryRoot, 'infra/workflows');
const files = readdirSync(directory).filter((name) => name.endsWith('.asl.json'));

/** The substitutions CDK applies (definitionSubstitutions) and the local runner too. */
function substituted(text: string): unknown {
  return JSON.parse(
    text
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's substitution token
      .replaceAll('${Partition}', 'aws')
      .replace(/\$\{(\w+)FunctionArn\}/g, 'arn:aws:lambda:cn-north-1:123456789012:function:$1'),
  );
}

type State = Record<string, unknown> & { Type: string };
const statesOf = (definition: unknown): [string, State][] =>
  Object.entries((definition as { States: Record<string, State> }).States);

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(directory, file), 'utf8');
  const definition = substituted(text);

  it('is valid Amazon States Language', () => {
    const result = aslValidator(definition);
    expect(result.isValid, result.errorsText('\n')).toBe(true);
  });

  it('uses JSONPath only (the local runner has no JSONata)', () => {
    expect((definition as { QueryLanguage?: string }).QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [, state] of statesOf(definition)) {
      expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
      expect(JSON.stringify(state)).not.toMatch(/\{%|Arguments|Output"/);
    }
  });

  it('gives every Task a timeout and no heartbeat', () => {
    for (const [name, state] of statesOf(definition)) {
      if (state.Type !== 'Task') continue;
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
      expect(state.HeartbeatSeconds ?? state.HeartbeatSecondsPath, name).toBeUndefined();
    }
  });

  it('waits only in callback Tasks whose timeout path sits in what their Parameters pass on', () => {
    for (const [name, state] of statesOf(definition)) {
      expect(state.Type, `${name}: no Wait states (timers are callback timeouts)`).not.toBe('Wait');
      if (String(state.Resource).endsWith('.waitForTaskToken')) {
        expect(state.TimeoutSecondsPath, name).toBe('$.Payload.timeoutSeconds');
        const parameters = state.Parameters as { Payload: Record<string, string> };
        expect(parameters.Payload['timeoutSeconds.$'], name).toBe('$.Payload.timeoutSeconds');
        expect(parameters.Payload['taskToken.$'], name).toBe('$$.Task.Token');
      }
    }
  });

  it('writes its ARNs partition-neutral', () => {
    expect(text).not.toMatch(/arn:aws:/);
  });
});
