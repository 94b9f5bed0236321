import { foldVietnamese } from '@thads/kit';

/**
 * Abbreviations people type for place names, folded (no diacritics, lower case): a search
 * word equal to a key also matches its expansion. Only unambiguous ones: "dn" could be Đà
 * Nẵng or Đồng Nai, so it is not here. Listed in docs/paging.md; extend both together.
 */
export const NAME_ABBREVIATIONS: Readonly<Record<string, string>> = {
  hcm: 'ho chi minh',
  tphcm: 'ho chi minh',
  hn: 'ha noi',
  tphn: 'ha noi',
  hp: 'hai phong',
};

/** Title words typed before a name ("tp hcm": thành phố) that official names do not always carry: dropped from the expansion. */
const TITLES = new Set(['tp']);

/**
 * The folded texts a name search matches: the text itself and, when some of its words are
 * abbreviations, the text with them spelled out ("tp.hcm" → "ho chi minh").
 */
export function nameSearchTexts(text: string): string[] {
  const folded = foldVietnamese(text);
  const words = folded.split(' ');
  if (!words.some((word) => word in NAME_ABBREVIATIONS || TITLES.has(word)) || words.every((word) => TITLES.has(word))) return [folded];
  const expanded = words
    .filter((word) => !TITLES.has(word))
    .map((word) => NAME_ABBREVIATIONS[word] ?? word)
    .join(' ');
  return [folded, expanded];
}
