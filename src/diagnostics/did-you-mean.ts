import { closest, distance } from 'fastest-levenshtein';

/** Suggests the closest known word for a misspelt key, or nothing when no word is close. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  return distance(word.toLowerCase(), best.toLowerCase()) <= tolerance ? best : undefined;
}
