/**
 * A tip, by job: its model and state (tip-state.ts), the rules that decide its events
 * (tip-rules.ts), the fold that derives its state (tip-projection.ts), what each reader
 * sees of it (tip-views.ts), and its time limits (time-limits.ts). Modules of shared/
 * import those directly; this index is for the app, the functions and the tests.
 */
export * from './tip-projection.ts';
export * from './tip-rules.ts';
export * from './tip-state.ts';
export * from './tip-views.ts';
