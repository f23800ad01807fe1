import type { JurisdictionChoice } from './contract.ts';

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The jurisdiction whose centre is nearest to the position, among those that have one. */
export function nearestJurisdiction(
  position: { latitude: number; longitude: number },
  jurisdictions: readonly JurisdictionChoice[],
): JurisdictionChoice | undefined {
  let best: { jurisdiction: JurisdictionChoice; km: number } | undefined;
  for (const jurisdiction of jurisdictions) {
    if (!jurisdiction.point) continue;
    const km = distanceKm(position, jurisdiction.point);
    if (!best || km < best.km) best = { jurisdiction, km };
  }
  return best?.jurisdiction;
}

/** Asks the phone for its position (WGS-84, as every phone reports it). */
export function currentPosition(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('no geolocation'));
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      enableHighAccuracy: true,
      timeout: 20_000,
      maximumAge: 60_000,
    });
  });
}
