import { describe, expect, it } from 'vitest';
import {
  evaluateWithoutThrow,
  jsonPathForTests,
  libraryJsonPath,
  StateMachine,
} from './state-machine.ts';

// The embedded cloud's state machines query jsonpath-plus without its throw for scalars
// (state-machine.ts): the same answers as the library's own call, for every kind of result.

describe("the local state machines' JSONPath", () => {
  const json = {
    tipId: 't1',
    generation: 2,
    zero: 0,
    no: false,
    nil: null,
    list: [1, 2],
    o: { a: 1 },
  };
  const paths = [
    '$',
    '$.tipId',
    '$.generation',
    '$.zero',
    '$.no',
    '$.nil',
    '$.list',
    '$.o',
    '$.o.a',
    '$.missing',
    '$.list[1]',
  ];

  it('answers each query as the library does, scalars included', () => {
    const withoutThrow = evaluateWithoutThrow(libraryJsonPath);
    for (const path of paths) {
      expect(withoutThrow({ path, json, wrap: false } as never), path).toEqual(
        libraryJsonPath({ path, json, wrap: false } as never),
      );
    }
  });

  it('is what aws-local-stepfunctions calls, and a run gets its scalars', async () => {
    expect(jsonPathForTests.JSONPath).not.toBe(libraryJsonPath);
    expect('withoutThrow' in jsonPathForTests.JSONPath).toBe(true);
    const machine = new StateMachine(
      {
        StartAt: 'Pick',
        States: {
          Pick: {
            Type: 'Pass',
            Parameters: { 'id.$': '$.tipId', 'generation.$': '$.generation', 'o.$': '$.o' },
            End: true,
          },
        },
      } as never,
      { validationOptions: { checkArn: false } },
    );
    const execution = machine.run(json);
    expect(await execution.result).toEqual({ id: 't1', generation: 2, o: { a: 1 } });
  });
});
