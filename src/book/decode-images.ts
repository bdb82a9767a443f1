/**
 * Decodes raster images in full, once, so a truncated or mislabelled file is reported when the book is read
 * rather than printed as a blank box. Decoding is sharp's (libvips: libpng, libjpeg, libwebp, cgif), which
 * reads to the last byte and fails on truncation. sharp's API is asynchronous and reading a book is not,
 * so the files are decoded in a worker thread while this thread waits on it (Atomics.wait); sharp and the
 * worker are only started when a book has images to check, so `imprint --version` never loads them.
 */
import { createRequire } from 'node:module';

export interface DecodedImage {
  /** "png", "jpeg", "gif", "webp" …, as sharp names the format it found. */
  format?: string;
  width?: number;
  height?: number;
  /** Why the file cannot be shown, in libvips' words. */
  error?: string;
}

/** Larger than any printed page needs (a 600 dpi spread is about 50 megapixels); bigger is an attack. */
export const MAX_PIXELS = 100_000_000;
/** A whole book's images in one go; a file that takes longer is reported, not waited for. */
const TIMEOUT_MS = 120_000;

// Plain JavaScript, so the worker runs the same whether Imprint runs from TypeScript sources or compiled.
const WORKER = `
const { workerData } = require('node:worker_threads');
(async () => {
  const sharp = require(workerData.sharp);
  sharp.cache(false);
  const results = [];
  for (const file of workerData.files) {
    try {
      const image = sharp(file, { failOn: 'truncated', limitInputPixels: workerData.maxPixels, sequentialRead: true });
      const meta = await image.metadata();
      // stats() reads every pixel in tiles, so the whole file is decoded without holding it in memory.
      await image.stats();
      results.push({ format: meta.format, width: meta.width, height: meta.height });
    } catch (error) {
      results.push({ error: String((error && error.message) || error).split('\\n')[0] });
    }
  }
  workerData.port.postMessage(results);
})().catch((error) => workerData.port.postMessage({ failed: String(error) })).finally(() => {
  Atomics.store(workerData.done, 0, 1);
  Atomics.notify(workerData.done, 0);
});
`;

/** Decodes each file (absolute paths) and returns what was found, in the same order. */
export function decodeImagesSync(files: readonly string[]): DecodedImage[] {
  if (files.length === 0) return [];
  const require = createRequire(import.meta.url);
  // Loaded here, not at the top: a build of a book without images (or with its images checked before) never
  // starts a thread, and node:worker_threads took 3.5 ms of every start.
  const { MessageChannel, receiveMessageOnPort, Worker } =
    require('node:worker_threads') as typeof import('node:worker_threads');
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { sharp: require.resolve('sharp'), files, maxPixels: MAX_PIXELS, port: port2, done },
    transferList: [port2],
  });
  try {
    const waited = Atomics.wait(done, 0, 0, TIMEOUT_MS);
    const message = receiveMessageOnPort(port1)?.message as DecodedImage[] | { failed: string } | undefined;
    if (waited === 'timed-out' || !message) {
      return files.map(() => ({ error: 'it could not be decoded in time' }));
    }
    if (!Array.isArray(message))
      return files.map(() => ({ error: `the image decoder failed: ${message.failed}` }));
    return message;
  } finally {
    void worker.terminate();
    port1.close();
  }
}
