/**
 * `imprint doctor`: what the set-up step checks in this repository, for anyone who installed Imprint as a
 * dependency (where no set-up runs): which system tools are there, which are missing, and the one command
 * that installs them. Exit code 1 when a required tool is missing or the browser does not start.
 */
import {
  checkBrowserLaunches,
  findBrowser,
  findMissingOptionalTools,
  findMissingTools,
  findOnPath,
  OPTIONAL_COMMANDS,
  packagesFor,
  REQUIRED_COMMANDS,
} from '../../scripts/setup.mjs';
import { SETUP_ADVICE } from '../../scripts/system-tools.mjs';

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** Start the browser once to see that it renders (a second or so). */
  launchBrowser?: boolean;
  out?: (line: string) => void;
}

export function runDoctor({
  env = process.env,
  launchBrowser = true,
  out = (line) => process.stdout.write(`${line}\n`),
}: DoctorOptions = {}): number {
  const browser = findBrowser({ env });
  let ok = true;
  if (browser) {
    const check = launchBrowser ? checkBrowserLaunches(browser) : { ok: true, detail: '' };
    out(
      `${check.ok ? 'ok     ' : 'broken '} chromium   ${browser}${check.ok ? '' : ` does not start: ${check.detail}`}`,
    );
    ok &&= check.ok;
  } else {
    out('missing chromium   (for the PDF, the EPUB cover and the checks)');
  }
  for (const { tool } of REQUIRED_COMMANDS) {
    const found = findOnPath(tool, env);
    out(`${found ? 'ok     ' : 'missing'} ${tool.padEnd(10)} ${found ?? ''}`.trimEnd());
  }
  for (const { tool, purpose } of OPTIONAL_COMMANDS) {
    const found = findOnPath(tool, env);
    out(`${found ? 'ok     ' : 'absent '} ${tool.padEnd(10)} ${found ?? `(optional: ${purpose})`}`);
  }
  const missing = findMissingTools({ env });
  if (missing.length > 0) {
    ok = false;
    out(
      `\nMissing: ${missing.map((m) => m.tool).join(', ')} (Debian packages: ${packagesFor(missing).join(' ')}).`,
    );
    out(SETUP_ADVICE);
  }
  const optional = findMissingOptionalTools({ env });
  if (optional.length > 0) out(`\nOptional: sudo apt-get install -y ${packagesFor(optional).join(' ')}`);
  if (ok) out('\nImprint can build every edition and run every check on this machine.');
  return ok ? 0 : 1;
}
