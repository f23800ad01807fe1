/** A message in both languages of the product: zh-CN first, English beside it. */
export type Bilingual = { zh: string; en: string };

export const bilingual = (zh: string, en: string): Bilingual => ({ zh, en });
