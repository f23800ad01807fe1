/**
 * Today's date in China Standard Time, YYYY-MM-DD. The public pages have their own copy
 * (#lib/tips/dates.ts): a module both used would become a chunk of its own on the report
 * page, whose JavaScript budget is tight (DESIGN.md, Quality bars).
 */
export const cstToday = (now = new Date()): string =>
  new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
