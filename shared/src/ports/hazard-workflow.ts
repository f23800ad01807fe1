import type { TurnPlan } from '../workflow/turns.ts';

/**
 * Port: the hazard lifecycle's conductor (Step Functions on AWS, aws-local-stepfunctions
 * on the embedded cloud). Decisions are written to the record first; then the workflow
 * is woken so that it plans again now rather than at its next timer. Waking a hazard
 * whose workflow has ended (closed, then reopened) starts the next generation.
 */
export interface HazardWorkflow {
  wake(hazardId: string): Promise<void>;
  /**
   * Starts the given generation of a record created with that generation claimed on its
   * first event (a tip: its receipt claims generation 1), reading nothing first: the
   * execution's first turn finds its claim and writes none. A record already at work is
   * woken instead. Without it, callers wake. With a first turn (a wait, planned by the caller
   * from the record it has just written), the execution starts at that wait: no Plan task,
   * no read of the record.
   */
  begin?(id: string, generation: number, firstTurn?: TurnPlan | null): Promise<void>;
}
