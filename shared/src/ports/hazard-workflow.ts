/**
 * Port: the hazard lifecycle's conductor (Step Functions on AWS, aws-local-stepfunctions
 * on the embedded cloud). Decisions are written to the record first; then the workflow
 * is woken so that it plans again now rather than at its next timer. Waking a hazard
 * whose workflow has ended (closed, then reopened) starts the next generation.
 */
export interface HazardWorkflow {
  wake(hazardId: string): Promise<void>;
}
