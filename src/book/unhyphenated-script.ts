/**
 * Whether a language is written in a script that is not hyphenated: Arabic and Hebrew stretch or break
 * between words, Chinese, Japanese and Korean break between characters, and Thai, Lao, Khmer, Myanmar and
 * Tibetan between syllables. The script comes from the runtime's CLDR likely-subtags data (Intl.Locale).
 */
const UNHYPHENATED = new Set([
  'Arab',
  'Hebr',
  'Syrc',
  'Thaa',
  'Hans',
  'Hant',
  'Hani',
  'Jpan',
  'Kore',
  'Thai',
  'Laoo',
  'Khmr',
  'Mymr',
  'Tibt',
]);

export function isUnhyphenatedScript(lang: string): boolean {
  try {
    const script = new Intl.Locale(lang).maximize().script;
    return script !== undefined && UNHYPHENATED.has(script);
  } catch {
    return false;
  }
}
