/**
 * The start of a text for a list or a link: at most `max` characters, ended at a word
 * boundary (Intl.Segmenter knows Chinese words as well as English ones), with "…" when
 * something was left out. A plain slice cut English words in half ("the exit is blo") and
 * could split an emoji's surrogate pair.
 */
export function excerptOf(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if ([...flat].length <= max) return flat;
  let kept = '';
  let length = 0;
  for (const { segment } of wordSegmenter().segment(flat)) {
    const size = [...segment].length;
    if (length + size > max - 1) break;
    kept += segment;
    length += size;
  }
  // One word longer than the room (a long number, a URL): cut it by characters.
  if (length === 0) kept = graphemesUpTo(flat, max - 1);
  return `${kept.replace(/[\s,，、;；:：.。]+$/u, '')}…`;
}

let segmenter: Intl.Segmenter | undefined;
const wordSegmenter = () => {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return segmenter;
};

function graphemesUpTo(text: string, max: number): string {
  let kept = '';
  let length = 0;
  for (const { segment } of new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(text)) {
    const size = [...segment].length;
    if (length + size > max) break;
    kept += segment;
    length += size;
  }
  return kept;
}
