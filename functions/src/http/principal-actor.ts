import type { Principal } from '@qingling/shared/auth/principal.ts';
import type { Actor } from '@qingling/shared/event-log/event-log.ts';

/** "Whoever inspects signs and answers for it": every action is recorded with its person. */
export const personOf = (principal: Principal): Actor => ({
  kind: 'person',
  id: principal.userId,
  name: principal.name,
});
