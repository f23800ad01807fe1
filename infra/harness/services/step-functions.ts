import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type Authority,
  jsonError,
  ServiceError,
  type ServiceRegistration,
} from '../aws-endpoint.ts';
import type { LambdaRuntime } from '../lambda-runtime.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * Step Functions for the template's state machines: each definition is read from the
 * asset the template points at, with the template's DefinitionSubstitutions applied, and
 * run by aws-local-stepfunctions. Lambda tasks invoke the functions through the harness's
 * runtime, authorized against the state machine's own role; `.waitForTaskToken` tasks get
 * a fresh token each time and wait for SendTaskSuccess (or their timeout).
 */

type Json = Record<string, unknown>;
/** What the runner passes to and takes from a local task handler. */
type JSONValue = Parameters<StateMachine['run']>[0];

interface Machine {
  arn: string;
  name: string;
  roleLogicalId: string;
  definition: { States: Record<string, Json> };
}

export interface Execution {
  arn: string;
  machine: Machine;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
  abort?: () => void;
  done: Promise<void>;
}

interface WaitingToken {
  execution: Execution;
  resolve: (output: JSONValue) => void;
  reject: (error: Error) => void;
}

class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class StepFunctionsService {
  readonly executions = new Map<string, Execution>();
  /** Told of every execution that ends, as Step Functions tells EventBridge. */
  onEnded?: (execution: Execution) => void;
  private readonly machines = new Map<string, Machine>();
  private readonly tokens = new Map<string, WaitingToken>();
  /** Tokens whose wait is over, with their state machine: the token names its execution. */
  private readonly ended = new Map<string, string>();
  private readonly template: DeployedTemplate;
  private readonly runtime: LambdaRuntime;
  private readonly authority: Authority;

  constructor(template: DeployedTemplate, runtime: LambdaRuntime, authority: Authority) {
    this.template = template;
    this.runtime = runtime;
    this.authority = authority;
    for (const { logicalId, resource } of template.ofType('AWS::StepFunctions::StateMachine')) {
      const properties = resource.Properties ?? {};
      const arn = template.ref(logicalId);
      const roleLogicalId = template.logicalIdOf(properties.RoleArn);
      if (!roleLogicalId) throw new Error(`${logicalId} has no role from this template`);
      this.machines.set(arn, {
        arn,
        name: arn.split(':').pop() ?? arn,
        roleLogicalId,
        definition: this.definitionOf(logicalId, properties),
      });
    }
  }

  /** Every execution of a state machine whose name starts with a prefix. */
  executionsNamed(prefix: string): Execution[] {
    return [...this.executions.values()].filter((execution) => execution.name.startsWith(prefix));
  }

  async stop(): Promise<void> {
    for (const execution of this.executions.values()) execution.abort?.();
    await Promise.allSettled([...this.executions.values()].map((execution) => execution.done));
  }

  registration(): ServiceRegistration {
    const error = jsonError('application/x-amz-json-1.0');
    return {
      error,
      denied: (message) => error(new ServiceError('AccessDeniedException', message)),
      handle: async (request, caller) => {
        const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
        const body = JSON.parse(request.body.toString('utf8') || '{}') as Json;
        const ok = (value: unknown) => ({
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify(value),
        });
        switch (operation) {
          case 'StartExecution': {
            const arn = String(body.stateMachineArn ?? '');
            caller.authorize({ action: 'states:StartExecution', resource: arn });
            const execution = this.start(
              arn,
              String(body.name ?? randomUUID()),
              String(body.input ?? '{}'),
            );
            return ok({
              executionArn: execution.arn,
              startDate: execution.startDate.getTime() / 1000,
            });
          }
          case 'DescribeExecution': {
            const arn = String(body.executionArn ?? '');
            caller.authorize({ action: 'states:DescribeExecution', resource: arn });
            const execution = this.executions.get(arn);
            if (!execution)
              throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
            return ok({
              executionArn: arn,
              stateMachineArn: execution.machine.arn,
              name: execution.name,
              status: execution.status,
              startDate: execution.startDate.getTime() / 1000,
              ...(execution.stopDate ? { stopDate: execution.stopDate.getTime() / 1000 } : {}),
              input: execution.input,
            });
          }
          case 'DescribeStateMachine': {
            const arn = String(body.stateMachineArn ?? '');
            caller.authorize({ action: 'states:DescribeStateMachine', resource: arn });
            const machine = this.machines.get(arn);
            if (!machine)
              throw new ServiceError(
                'StateMachineDoesNotExist',
                `State Machine Does Not Exist: '${arn}'`,
              );
            return ok({
              stateMachineArn: arn,
              name: machine.name,
              status: 'ACTIVE',
              definition: JSON.stringify(machine.definition),
              type: 'STANDARD',
            });
          }
          case 'SendTaskSuccess':
          case 'SendTaskFailure': {
            const token = String(body.taskToken ?? '');
            const waiting = this.tokens.get(token);
            const machineArn = waiting?.execution.machine.arn ?? this.ended.get(token) ?? '*';
            caller.authorize({ action: `states:${operation}`, resource: machineArn });
            if (!waiting) {
              if (this.ended.has(token)) throw new ServiceError('TaskTimedOut', 'Task Timed Out');
              throw new ServiceError('TaskDoesNotExist', 'Task does not exist');
            }
            this.tokens.delete(token);
            this.ended.set(token, waiting.execution.machine.arn);
            if (operation === 'SendTaskSuccess')
              waiting.resolve(JSON.parse(String(body.output ?? 'null')));
            else
              waiting.reject(
                new TaskError(String(body.error ?? 'States.TaskFailed'), String(body.cause ?? '')),
              );
            return ok({});
          }
          default:
            throw new ServiceError(
              'UnknownOperationException',
              `The harness does not emulate ${operation}`,
            );
        }
      },
    };
  }

  /** StartExecution: a name is unique per state machine, as on AWS. */
  start(machineArn: string, name: string, input: string): Execution {
    const machine = this.machines.get(machineArn);
    if (!machine)
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${machineArn}'`,
      );
    const arn = `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution: Execution = {
      arn,
      machine,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      done: Promise.resolve(),
    };
    this.executions.set(arn, execution);
    const context = {
      Execution: { Id: arn, Name: name },
      StateMachine: { Id: machine.arn, Name: machine.name },
      Task: { Token: randomUUID() },
    };
    const runner = new StateMachine(machine.definition as never, {
      validationOptions: { checkArn: false, checkPaths: false },
    });
    const run = runner.run(JSON.parse(input), {
      noThrowOnAbort: true,
      context,
      overrides: { taskResourceLocalHandlers: this.taskHandlers(machine, execution, context.Task) },
    });
    execution.abort = () => {
      if (execution.status === 'RUNNING') execution.status = 'ABORTED';
      run.abort();
    };
    execution.done = run.result
      .then(
        () => {
          if (execution.status === 'RUNNING') execution.status = 'SUCCEEDED';
        },
        (error: Error) => {
          execution.status = 'FAILED';
          execution.error = error.name;
          execution.cause = error.message;
        },
      )
      .finally(() => {
        execution.stopDate = new Date();
        this.onEnded?.(execution);
        for (const [token, waiting] of this.tokens) {
          if (waiting.execution === execution) {
            this.tokens.delete(token);
            this.ended.set(token, waiting.execution.machine.arn);
          }
        }
      });
    return execution;
  }

  private taskHandlers(machine: Machine, execution: Execution, task: { Token: string }) {
    const handlers: Record<string, (input: JSONValue) => Promise<JSONValue>> = {};
    const caller = this.authority.caller(machine.roleLogicalId);
    for (const [stateName, state] of Object.entries(machine.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource ?? '');
      if (!/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
        throw new Error(
          `${machine.name}.${stateName}: the harness runs Lambda tasks only (${resource})`,
        );
      }
      const callback = resource.endsWith('.waitForTaskToken');
      handlers[stateName] = async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: JSONValue };
        try {
          caller.authorize({ action: 'lambda:InvokeFunction', resource: FunctionName });
        } catch (denied) {
          throw new TaskError('Lambda.AWSLambdaException', (denied as Error).message);
        }
        if (!callback) {
          const result = (await this.invoke(FunctionName, Payload)) as JSONValue;
          return { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' };
        }
        // The token this wait was given; the next wait gets a new one.
        const token = task.Token;
        task.Token = randomUUID();
        const output = new Promise<JSONValue>((resolve, reject) => {
          this.tokens.set(token, { execution, resolve, reject });
        });
        await this.invoke(FunctionName, Payload);
        return output;
      };
    }
    return handlers;
  }

  private async invoke(functionName: string, payload: unknown): Promise<unknown> {
    try {
      return await this.runtime.invoke(functionName, payload);
    } catch (error) {
      const failed = error as Error & { errorType?: string };
      throw new TaskError(failed.errorType ?? failed.name, failed.message);
    }
  }

  private definitionOf(logicalId: string, properties: Json): Machine['definition'] {
    let text: string;
    if (properties.DefinitionString) {
      text = String(this.template.resolve(properties.DefinitionString));
    } else {
      const location = properties.DefinitionS3Location as { Key: string } | undefined;
      if (!location) throw new Error(`${logicalId} has no definition`);
      text = readFileSync(join(this.template.assemblyDir, `asset.${location.Key}`), 'utf8');
    }
    const substitutions = (this.template.resolve(properties.DefinitionSubstitutions) ??
      {}) as Record<string, unknown>;
    const substituted = text.replace(/\$\{([\w]+)\}/g, (token, name: string) =>
      name in substitutions ? String(substitutions[name]) : token,
    );
    return JSON.parse(substituted) as Machine['definition'];
  }
}
