import * as z from 'zod/mini';
import { said } from '../api/validation.ts';

/**
 * Searching a jurisdiction's register (`q` on listEnterprises): a part of the name, of the
 * address or of the credit code. A register holds a few thousand enterprises per
 * jurisdiction (RULES.md: one register per 街道/乡镇), so the answer is a bounded read of
 * the jurisdiction's own register partition (gsi1 ENTERPRISES#<jurisdiction>, a Query with
 * a filter, never a Scan): at most `searchReadLimit` entries per request; when that many
 * were read before the page filled, the answer carries a cursor to read on from.
 */
export const searchPageSize = 20;
export const searchReadLimit = 4000;

export const searchQuerySchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value) => value.normalize('NFKC').trim().replace(/\s+/g, ' ')),
  ),
  z
    .string()
    .check(
      z.minLength(1, said('请输入要查找的内容。', 'Type something to search for.')),
      z.maxLength(50, said('查找内容最多 50 个字。', 'Search for at most 50 characters.')),
    ),
);

/**
 * The spellings the filter tries: as typed, and in capitals (credit codes are stored in
 * capitals; names and addresses as registered, so a Latin word matches as typed or in
 * capitals, e.g. "abc" finds "ABC 商店").
 */
export function searchTerms(q: string): string[] {
  return [...new Set([q, q.toUpperCase()])];
}
