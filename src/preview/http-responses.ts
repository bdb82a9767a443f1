/** How the preview answers: every response carries the security headers, HEAD gets the headers alone. */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security-headers.ts';

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, ...SECURITY_HEADERS });
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(`${text}\n`);
}

export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  type: string,
  cacheControl: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': cacheControl,
    ...SECURITY_HEADERS,
    ...headers,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
