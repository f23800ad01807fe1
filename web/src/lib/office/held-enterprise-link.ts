import type { EnterpriseLink } from './contract.ts';

/**
 * The enterprise link last created on a hazard's page, held in this tab's memory only so its
 * printable QR notice can show it: never in the URL (referrer, history, logs) nor in storage.
 * A reload forgets it, as the hazard's page does.
 */
let held: { hazardPath: string; link: EnterpriseLink } | undefined;

export function holdEnterpriseLink(hazardPath: string, link: EnterpriseLink): void {
  held = { hazardPath, link };
}

export function heldEnterpriseLink(hazardPath: string): EnterpriseLink | undefined {
  return held?.hazardPath === hazardPath ? held.link : undefined;
}
