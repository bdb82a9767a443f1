/**
 * Whether a URL leaves the manuscript folder: it has a scheme (`https:`, `mailto:`, `file:`) or names a host
 * (`//example.org/…`). Anything else is a path relative to the file it is written in, or a `#` fragment.
 */
export function leavesTheManuscript(url: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(url.trim());
}
