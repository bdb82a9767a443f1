/**
 * The first gate of the preview server: turns a raw request target into a clean path of decoded segments,
 * or refuses it. Paths are then only looked up among the routes the book has; nothing is joined onto a
 * folder, so a path that passes here still cannot name a file the preview did not choose to serve.
 */

export type RequestPath = { ok: true; path: string; segments: string[] } | { ok: false; status: 400 | 403 };

/**
 * `..` and `.` segments (plain or percent-encoded), encoded slashes and backslashes, NUL bytes and paths
 * that start with `//` are refused with 403; malformed percent-encoding and anything that is not an
 * origin-form target (`/…`) with 400.
 */
export function parseRequestPath(target: string | undefined): RequestPath {
  if (!target?.startsWith('/')) return { ok: false, status: 400 };
  const raw = target.replace(/[?#].*$/s, '');
  if (raw.startsWith('//') || raw.includes('\\') || /%(2f|5c|00)/i.test(raw))
    return { ok: false, status: 403 };
  const segments: string[] = [];
  for (const encoded of raw.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '..' || segment === '.' || segment.includes('\0')) return { ok: false, status: 403 };
    segments.push(segment);
  }
  return { ok: true, path: `/${segments.join('/')}`, segments };
}
