import { createAccessLink } from '@qingling/shared/enterprises/access-link.ts';
import * as dependencies from '../dependencies.ts';
import { linkKey } from '../hazards/link-key.ts';
import { apiHandler } from '../http/hazard-api.ts';

/**
 * POST /api/office/hazards/{hazardId}/enterprise-link: a link for the enterprise's
 * principal that opens this hazard only, until it expires. The console shows it as
 * `/enterprise/#<token>`: after the #, the token never reaches a server log.
 */
export const handler = apiHandler('createEnterpriseLink', async ({ body, record }) => {
  // A place without a credit code (site.ts) gets one too: its person in charge answers.
  const now = dependencies.clock().now();
  const expiresAt = new Date(now.getTime() + body.validDays * 24 * 3600 * 1000);
  const token = await createAccessLink(await linkKey(), {
    hazardId: record.state.hazardId,
    expiresAt,
  });
  return { status: 201, body: { token, expiresAt: expiresAt.toISOString() } };
});
