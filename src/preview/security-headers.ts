/** The headers every preview response carries, the event stream included. */

/** Book pages are sanitised already; this keeps anything that slipped through from loading or running. */
const PAGE_POLICY =
  "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
  "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
/**
 * Sent with every response, not only the HTML pages: an SVG image opened on its own is a document too, and
 * the policy keeps it from running or loading anything.
 */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': PAGE_POLICY,
};
