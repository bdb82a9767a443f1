/**
 * Ctrl-C before the browser is up (or in an HTML-only build) would end node without its 'exit' event, and so
 * leave the staging folder and the lock behind: exit with 128 + the signal instead. Once a browser runs, its own
 * handler (src/platform/browser/launch-browser.ts) closes it first and exits with the same code. The CLI installs
 * this, never the API: `imprint build` before it starts Chromium, which it does before the build's modules load.
 */
import os from 'node:os';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function exitOnSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) === 1) process.exit(128 + (os.constants.signals[signal] ?? 0));
}

/** Installs the handler where it is not installed yet; returns what takes off the ones this call installed. */
export function handleExitSignals(): () => void {
  const added = SIGNALS.filter((signal) => !process.listeners(signal).includes(exitOnSignal));
  for (const signal of added) process.on(signal, exitOnSignal);
  return () => {
    for (const signal of added) process.off(signal, exitOnSignal);
  };
}
