/**
 * The preview's push channel: Server-Sent Events over a plain HTTP response. Every message is the whole
 * preview state, so a client that reconnects (after a network hiccup or a server restart) simply
 * reconciles with the latest one and misses nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security-headers.ts';

/** How often an idle stream gets a comment line, so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15_000;
/** How soon a browser retries after the stream drops (EventSource's default is ~3 s). */
const RETRY_MS = 500;

interface Client {
  res: ServerResponse;
  view: string;
}

export interface EventStream {
  /** Answers a request for the stream; `first` is sent to this client at once. */
  connect(req: IncomingMessage, res: ServerResponse, view: string, first: string): void;
  /** Sends one event to every client. */
  broadcast(event: string, data: string): void;
  /** How many clients show `view` ("screen", "print", "epub"). */
  watching(view: string): number;
  close(): void;
}

export function createEventStream(onConnect: (view: string) => void = () => {}): EventStream {
  const clients = new Set<Client>();
  const frame = (event: string, data: string) =>
    `event: ${event}\n${data
      .split('\n')
      .map((line) => `data: ${line}`)
      .join('\n')}\n\n`;
  const heartbeat = setInterval(() => {
    for (const client of clients) client.res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    connect(req, res, view, first) {
      req.socket.setNoDelay(true);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        ...SECURITY_HEADERS,
      });
      res.write(`retry: ${RETRY_MS}\n\n${frame('state', first)}`);
      const client = { res, view };
      clients.add(client);
      res.on('close', () => clients.delete(client));
      // A client that vanished mid-write must not take the server down.
      res.on('error', () => clients.delete(client));
      onConnect(view);
    },
    broadcast(event, data) {
      const message = frame(event, data);
      for (const client of clients) client.res.write(message);
    },
    watching(view) {
      let count = 0;
      for (const client of clients) if (client.view === view) count++;
      return count;
    },
    close() {
      clearInterval(heartbeat);
      for (const client of clients) client.res.end();
      clients.clear();
    },
  };
}
