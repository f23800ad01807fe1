/** An instant as CST wall time to the minute: "2026-12-03 22:30" (titles, version lines). */
export function cstMinute(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
