/** Browser profiles that a killed process left in the temporary folder, removed by a later launch. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive, profilePrefix, removeStaleProfiles } from '../src/platform/browser/stale-profiles.ts';

/** The id of a process that has run and exited. */
function exitedPid(): number {
  const result = spawnSync(process.execPath, ['-e', '0']);
  return result.pid as number;
}

describe('stale browser profiles', () => {
  it('are named after the machine and the process, with no `-` in the machine name', () => {
    expect(profilePrefix('build-host.local', 4242)).toBe('imprint-chromium-build_host.local-4242-');
    expect(profilePrefix('', 7)).toBe('imprint-chromium-host-7-');
  });

  it("removes this machine's profiles of exited processes, and nothing else", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-stale-'));
    const dead = exitedPid();
    expect(processAlive(dead)).toBe(false);
    const names = {
      deadOurs: `${profilePrefix('this-box', dead)}Ab3dE9`,
      ownProcess: `${profilePrefix('this-box', process.pid)}Zz9yX8`,
      liveParent: `${profilePrefix('this-box', process.ppid)}Qq1wE2`,
      otherMachine: `${profilePrefix('other-box', dead)}Rr5tY6`,
      oldName: 'imprint-chromium-Tt7uI8',
      notAProfile: `${profilePrefix('this-box', dead)}x`,
      otherThing: 'something-else',
    };
    for (const name of Object.values(names)) {
      mkdirSync(path.join(dir, name, 'hyphen-data'), { recursive: true });
      writeFileSync(path.join(dir, name, 'hyphen-data', 'hyph-en-us.hyb'), 'x');
    }
    expect(await removeStaleProfiles(dir, 'this-box')).toEqual([names.deadOurs]);
    expect(readdirSync(dir).sort()).toEqual(
      Object.values(names)
        .filter((name) => name !== names.deadOurs)
        .sort(),
    );
    // Nothing left to remove: a second look finds none.
    expect(await removeStaleProfiles(dir, 'this-box')).toEqual([]);
  });

  it('leaves a folder it cannot read as it is', async () => {
    expect(await removeStaleProfiles(path.join(os.tmpdir(), 'imprint-no-such-folder-for-profiles'))).toEqual(
      [],
    );
  });
});
