/**
 * Port: what a running lifecycle's own tasks ask of the conductor that runs them (Step
 * Functions on AWS): start its next generation, see which definition the state machine has
 * now, end its own wait. The conductor a decision wakes is the other port, HazardWorkflow.
 * The embedded cloud's conductor runs the lifecycle in process and needs none of these.
 */
export interface LifecycleConductor {
  /**
   * Starts the execution `name` of the state machine with this input. One already started
   * by that name (a retry, or a wake at the same moment) is success: it runs the same input.
   */
  start(stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<void>;
  /** Whether the state machine's definition, as deployed now, holds this text. */
  definitionHolds(stateMachineArn: string, text: string): Promise<boolean>;
  /** Ends the wait that holds this task token, woken: the execution plans again. */
  endWait(taskToken: string): Promise<void>;
}
