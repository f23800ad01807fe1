/**
 * A hazard's stream key, apart from the record's code (hazard.ts): what a function that
 * only names hazards (a tip's finding) imports without the projection.
 */
const hazardStreamPrefix = 'HAZARD#';
export const hazardStream = (hazardId: string) => `${hazardStreamPrefix}${hazardId}`;
/** The hazard's id, from its stream's key. */
export const hazardIdOfStream = (stream: string) =>
  stream.startsWith(hazardStreamPrefix) ? stream.slice(hazardStreamPrefix.length) : stream;
