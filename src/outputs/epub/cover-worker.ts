/** A worker thread that draws one cover (src/outputs/epub/cover-draw.ts) and posts the PNG back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type CoverDrawing, drawCover } from './cover-draw.ts';

drawCover(workerData as CoverDrawing).then(
  (png) => parentPort?.postMessage({ png }, [png.buffer as ArrayBuffer]),
  (error: unknown) =>
    // The message only: the build reports it as a coded diagnostic on the cover template, not a stack trace.
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
