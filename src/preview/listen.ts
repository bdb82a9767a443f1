/** Starts the server on the asked port, or on one of the next when it is taken (unless told not to). */
import type { Server } from 'node:http';

/** How many ports after the asked one are tried when it is taken. */
const PORT_ATTEMPTS = 10;

export function listen(server: Server, port: number, host: string, strict: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let attempt = 0;
    const tryPort = (candidate: number) => {
      const onError = (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE' && !strict && candidate !== 0 && attempt < PORT_ATTEMPTS) {
          attempt++;
          tryPort(candidate + 1);
        } else {
          reject(error);
        }
      };
      server.once('error', onError);
      server.listen(candidate, host, () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : candidate);
      });
    };
    tryPort(port);
  });
}
