/** The puzzle the browser is solving for a request past a limit, if any (see lib/api.ts). */
export const proofProgress = $state({ active: false, percent: 0 });
