import type { DeskCardKey } from '@qingling/shared/hazards/desk.ts';
import type { Desk } from './contract.ts';
import { officeRequest } from './office-api.ts';

/**
 * The desk's counts of one jurisdiction as of the server's clock (GET /api/office/desk);
 * with a card, the hazards that card counts too.
 */
export function loadDesk(jurisdiction: string, card?: DeskCardKey): Promise<Desk> {
  const query = new URLSearchParams({ jurisdiction, ...(card ? { card } : {}) });
  return officeRequest<Desk>(`/api/office/desk?${query}`);
}

/** The page that lists the hazards behind a desk card (web path, before href()). */
export const deskCardPath = (jurisdiction: string, card: DeskCardKey) =>
  `/office/desk?${new URLSearchParams({ jurisdiction, card })}`;
