import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  StepFunctionsLifecycleConductor,
  StepFunctionsRecordWorkflow,
} from './step-functions-workflow.ts';

const sfn = mockClient(SFNClient);
const stateMachineArn = 'arn:aws-cn:states:cn-north-1:111122223333:stateMachine:Qingling-hazard';
/** The hazard's log says generation 3 holds it. */
const hazards = {
  field: 'hazardId' as const,
  stream: (id: string) => `HAZARD#${id}`,
  nextGeneration: async () => 4,
};

function workflow(wait: { taskToken: string; generation: number } | null) {
  return new StepFunctionsRecordWorkflow({
    stateMachineArn,
    waits: { find: async (stream) => (stream === 'HAZARD#H1' ? wait : null) },
    kind: hazards,
    client: new SFNClient({}),
  });
}

beforeEach(() => sfn.reset());

describe('StepFunctionsRecordWorkflow', () => {
  it('sends task success to the waiting execution, and starts nothing', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await workflow({ taskToken: 'token-1', generation: 3 }).wake('H1');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe('token-1');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('loses no decision when the token has just timed out: the running execution replans', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await workflow({ taskToken: 'token-1', generation: 3 }).wake('H1');
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toBe(
      'arn:aws-cn:states:cn-north-1:111122223333:execution:Qingling-hazard:H1-3',
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('starts the next generation when the execution has ended (closed, then reopened)', async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    await workflow({ taskToken: 'token-1', generation: 3 }).wake('H1');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn,
      name: 'H1-4',
      input: JSON.stringify({ hazardId: 'H1', generation: 4 }),
    });
  });

  it('starts the first execution of a new hazard, and takes a concurrent start as done', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(workflow(null).wake('H2')).resolves.toBeUndefined();
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe('H2-4');
  });

  it('begins a new record in the generation its first event claimed, reading nothing', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    const read: string[] = [];
    const begun = new StepFunctionsRecordWorkflow({
      stateMachineArn,
      waits: {
        find: async (stream) => {
          read.push(stream);
          return null;
        },
      },
      kind: {
        ...hazards,
        nextGeneration: async (id) => {
          read.push(id);
          return 1;
        },
      },
      client: new SFNClient({}),
    });
    await begun.begin('T1', 1);
    expect(read).toEqual([]);
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn,
      name: 'T1-1',
      input: JSON.stringify({ hazardId: 'T1', generation: 1 }),
    });
    // A second begin (a retry) finds the execution there: done.
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(begun.begin('T1', 1)).resolves.toBeUndefined();
  });

  it('fails loudly on any other error', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new Error('AccessDenied'));
    await expect(workflow({ taskToken: 't', generation: 1 }).wake('H1')).rejects.toThrow(
      'AccessDenied',
    );
  });
});

describe('StepFunctionsLifecycleConductor', () => {
  it("ends RegisterWait's wait, and takes a wait a handler's wake ended first as woken", async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const conductor = new StepFunctionsLifecycleConductor({ client: new SFNClient({}) });
    await conductor.endWait('token-1');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe('token-1');
    // The template harness saw RegisterWait fail so (TaskTimedOut) while a tip's commands
    // woke its lifecycle one after another.
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    await expect(conductor.endWait('token-1')).resolves.toBeUndefined();
    sfn.on(SendTaskSuccessCommand).rejects(new Error('AccessDenied'));
    await expect(conductor.endWait('token-1')).rejects.toThrow('AccessDenied');
  });
});
