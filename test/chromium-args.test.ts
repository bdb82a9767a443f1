import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { chromiumArguments, LAUNCH_ARGS, OFFLINE_ARGS } from '../src/platform/browser/chromium-args.ts';

// Imprint spawns Chromium itself (spawn-chromium.ts) with the command line Puppeteer's launch would have used:
// Puppeteer's defaults of the installed version, Imprint's arguments merged in as Puppeteer merges them, and the
// pipe Puppeteer then connects over.
function puppeteersLaunch(userDataDir: string, args: string[]): string[] {
  return [...puppeteer.defaultArgs({ headless: true, userDataDir, args }), '--remote-debugging-pipe'];
}

describe('chromiumArguments', () => {
  it("is Puppeteer's own command line for an offline launch", () => {
    expect(chromiumArguments('/tmp/profile')).toEqual(
      puppeteersLaunch('/tmp/profile', [...LAUNCH_ARGS, ...OFFLINE_ARGS]),
    );
  });

  it('merges more features and arguments as Puppeteer does, and goes online without the kill switch', () => {
    const args = ['--disable-features=Foo', '--enable-features=Bar,Baz', '--lang=de'];
    expect(chromiumArguments('/tmp/p', { online: true, args })).toEqual(
      puppeteersLaunch('/tmp/p', [...LAUNCH_ARGS, '--disable-component-update', ...args]),
    );
    const offline = chromiumArguments('/tmp/p');
    for (const arg of OFFLINE_ARGS) expect(offline).toContain(arg);
    expect(offline).not.toContain('--disable-component-update');
    expect(chromiumArguments('/tmp/p', { online: true })).not.toContain(OFFLINE_ARGS[0]);
  });

  it('drives Chromium over a pipe, headless, with the profile given', () => {
    const args = chromiumArguments('/tmp/x');
    expect(args.at(-1)).toBe('--remote-debugging-pipe');
    expect(args).toContain('--user-data-dir=/tmp/x');
    expect(args).toContain('--headless=new');
    expect(args.filter((arg) => arg.startsWith('--disable-features='))).toHaveLength(1);
  });
});
