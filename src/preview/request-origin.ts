/**
 * Who may talk to the preview. It serves a writer's unpublished book on their own machine, so a page on
 * another site must neither read it nor make it work.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { CLIENT_PREFIX } from './views/client-script.ts';

/**
 * On the loopback address only local names may reach the preview, so a page elsewhere cannot read it
 * through a name of its own that points here (DNS rebinding). Served to the network on purpose (--host),
 * the preview answers to whatever name the network uses.
 */
export function hostCheck(host: string): (header: string | undefined) => boolean {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host.toLowerCase());
  return (header) => {
    if (!loopback) return true;
    if (!header) return false;
    const name = header
      .replace(/:\d+$/, '')
      .replace(/^\[(.*)\]$/, '$1')
      .toLowerCase();
    return isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost');
  };
}

/** True when there is no Origin header (a typed address, curl) or it names this very server. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === host?.toLowerCase();
  } catch {
    return false;
  }
}

/** Requests that make the server work or hold a connection: the event stream and the print view's files. */
export function startsWork(url: string | undefined): boolean {
  const pathname = (url ?? '').split('?')[0];
  return pathname === `${CLIENT_PREFIX}events` || /^\/print\/(pages\/|\d+\/)/.test(pathname);
}

/** Sec-Fetch-Site (sent by every current browser): same-origin, or none for an address typed by the user. */
export function fromThisSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
