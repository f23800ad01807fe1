import { href } from '#lib/i18n.ts';

/**
 * Where a jurisdiction's record of an enterprise is: its page and its API path. Each
 * jurisdiction keeps its own record under the same credit code, so both name the
 * jurisdiction beside the code.
 */
export const enterpriseFileHref = (jurisdiction: string, uscc: string) =>
  href(`/office/enterprises/view?${new URLSearchParams({ jurisdiction, uscc })}`);

export const enterpriseApiPath = (jurisdiction: string, uscc: string, cursor?: string) =>
  `/api/office/enterprises/${encodeURIComponent(uscc)}?${new URLSearchParams({
    jurisdiction,
    ...(cursor ? { cursor } : {}),
  })}`;
