import { createRequire } from 'node:module';

type StepFunctions = typeof import('aws-local-stepfunctions');
type JsonPathOptions = { path: string; json?: unknown; autostart?: boolean; callback?: unknown };
type JsonPath = {
  (options: JsonPathOptions, ...rest: unknown[]): unknown;
  new (options: JsonPathOptions): { evaluate(args: { path: string; json?: unknown }): unknown };
};

const fromHere = createRequire(import.meta.url);
const fromStepFunctions = createRequire(fromHere.resolve('aws-local-stepfunctions'));
const jsonPathModule = fromStepFunctions('jsonpath-plus') as { JSONPath: JsonPath };

/**
 * jsonpath-plus returns a scalar (`$.tipId`, `$.generation`) by throwing an Error from its
 * constructor and catching it; aws-local-stepfunctions asks it for every path of every
 * state, so each tip's lifecycle start built a few dozen Errors with their stack traces:
 * about 1 ms of CPU a tip, 6–7 % of a burst of tips (issue 13's profile). The same query
 * without autostart, evaluated directly, gives the same value without the throw.
 */
export function evaluateWithoutThrow(original: JsonPath): JsonPath {
  const evaluate = function (this: unknown, options: JsonPathOptions, ...rest: unknown[]) {
    if (new.target) return Reflect.construct(original, [options, ...rest]);
    if (rest.length > 0 || !options || typeof options !== 'object' || options.autostart === false) {
      return Reflect.apply(original, this, [options, ...rest]);
    }
    const query = new original({ ...options, autostart: false });
    return query.evaluate({
      path: options.path,
      ...('json' in options ? { json: options.json } : {}),
    });
  };
  return Object.assign(evaluate, original, { withoutThrow: original }) as unknown as JsonPath;
}

/** The library's own function (for the tests' comparison). */
export const libraryJsonPath: JsonPath =
  (jsonPathModule.JSONPath as JsonPath & { withoutThrow?: JsonPath }).withoutThrow ??
  jsonPathModule.JSONPath;
jsonPathModule.JSONPath = evaluateWithoutThrow(libraryJsonPath);

/**
 * The library's CommonJS build, which reads jsonpath-plus's export at each query (the ESM
 * build binds it for good): the embedded cloud's state machines only, never on AWS.
 */
export const { StateMachine } = fromHere('aws-local-stepfunctions') as StepFunctions;
export type StateMachine = InstanceType<StepFunctions['StateMachine']>;
/** What aws-local-stepfunctions calls (for the tests). */
export const jsonPathForTests = jsonPathModule;
