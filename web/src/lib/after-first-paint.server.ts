/**
 * An inline script's expression: a promise that settles once the page's first contentful paint
 * is on the screen, for prerendered pages to fetch and run their JavaScript only after the user
 * can read them (hooks.server.ts, the report page's island).
 *
 * A `requestAnimationFrame` callback runs before its frame is painted, and the paint reaches the
 * screen later still: JavaScript started there competes with that first paint, on a slow phone
 * for hundreds of milliseconds. The paint timing entry arrives once the paint has been presented.
 * Then one more frame and a task: a parser that yielded may have painted only the top of the
 * page first (a Lighthouse trace of /report/: the header at 79 ms, the text at 176 ms), and the
 * frame after this script (at the end of the body) holds all of it.
 * Browsers without paint timing wait a frame and a task; a hidden tab (no frames) starts at once;
 * and the wait is capped, so that nothing that delays the paint entry can leave a form dead.
 * Plain ES2017 (no `?.`): it runs inline, before anything checks what the browser supports.
 */
export const afterFirstPaint = `new Promise((painted) => {
  if (document.visibilityState === 'hidden') return painted();
  setTimeout(painted, 3000);
  const Observer = typeof PerformanceObserver === 'function' ? PerformanceObserver : null;
  if (!Observer || !(Observer.supportedEntryTypes || []).includes('paint')) {
    return requestAnimationFrame(() => setTimeout(painted));
  }
  new Observer((entries, observer) => {
    if (entries.getEntriesByName('first-contentful-paint').length === 0) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(painted));
  }).observe({ type: 'paint', buffered: true });
})`;
