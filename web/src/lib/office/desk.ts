import type { Desk } from './contract.ts';
import { officeRequest } from './office-api.ts';

/** The desk's counts of one jurisdiction as of the server's clock (GET /api/office/desk). */
export function loadDesk(jurisdiction: string): Promise<Desk> {
  return officeRequest<Desk>(`/api/office/desk?jurisdiction=${encodeURIComponent(jurisdiction)}`);
}
