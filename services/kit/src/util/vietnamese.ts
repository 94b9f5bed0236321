/**
 * Folds Vietnamese text for search: lower case, diacritics removed, đ → d, spaces
 * collapsed. "Thành phố Hồ Chí Minh" and "thanh pho ho chi minh" fold to the same text.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Vietnamese alphabetical order (Đ after D, tones after their base letter): how lists of units are shown. */
export const vietnameseOrder = new Intl.Collator('vi');
