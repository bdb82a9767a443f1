/**
 * A copy of a syntax tree to change: a theme component's parsed template for each use, a chapter's tree for an
 * edition (pull-quotes placed, page markers, links mapped). The trees are plain data (kept as JSON in the
 * cache, sent between threads), so a walk that copies arrays and objects gives what structuredClone gives, at a
 * fraction of the cost: all 40 chapter trees of the bench book in 3–6 ms against 16–27 ms, and 1,300 copies of
 * the default theme's templates in 4–14 ms against 31–66 ms (structuredClone costs ~25 µs a call, however small).
 */
export function cloneTree<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneTree) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = cloneTree((value as Record<string, unknown>)[key]);
  return copy as T;
}
