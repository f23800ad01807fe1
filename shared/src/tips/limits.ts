/**
 * The limits of a tip, in one module without dependencies: the server's schemas and the
 * report page's checks both read them, and the page does not pay for zod to do so.
 */
export const tipLimits = {
  photosAtReport: 6,
  photosPerTip: 12,
  photoTypes: ['image/jpeg', 'image/png', 'image/webp'],
  photoBytes: 10 * 1024 * 1024,
  /** Decoded on arrival: more pixels than this is refused (a decompression bomb, not a photo). */
  photoPixels: 50_000_000,
  unit: 40,
  enterprise: 100,
  address: { min: 2, max: 200 },
  description: { min: 10, max: 2000 },
  message: { min: 1, max: 1000 },
  /**
   * Messages a tipster may send on one tip: every one is kept on the tip's state, and a
   * receipt is all it takes to send them (event-log/record-size.ts).
   */
  messagesFromTipster: 50,
  /** Joint tipsters on one reward (RULES.md: they share it): keeps the split small. */
  jointTipsters: 20,
} as const;
