/** Word-level comparison of texts, ignoring punctuation, quote styles, soft hyphens and case. */
export function words(text: string): string[] {
  return text
    .replace(/\u00ad/g, '')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** Index after the last matched word when `needle` occurs in order (gaps allowed) in `haystack`, else -1. */
export function indexOfSubsequence(haystack: string[], needle: string[], from = 0): number {
  let at = from;
  for (const word of needle) {
    while (at < haystack.length && haystack[at] !== word) at++;
    if (at === haystack.length) return -1;
    at++;
  }
  return at;
}

/** Whether `needle` occurs as a contiguous run of words in `haystack`. */
export function containsRun(haystack: string[], needle: string[]): boolean {
  const joined = ` ${haystack.join(' ')} `;
  return joined.includes(` ${needle.join(' ')} `);
}
