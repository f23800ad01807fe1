/**
 * When a long backfill must stop: checked between pieces of work that are each safe to
 * leave done or undone (the reconciler's function, before its timeout; a test, anywhere).
 */
export interface Budget {
  expired(): boolean;
}
