import { join } from 'node:path';
import { configDirInRepository, configDirOf, outdirOf, REPOSITORY_ROOT, teamFoldersOf, teamPathsRootOf } from '../../model/synth-settings';

describe('synthesis settings', () => {
  it('defaults to config/ and cdktf.out/ in the repository, whatever the working directory', () => {
    expect(REPOSITORY_ROOT).toBe(join(__dirname, '..', '..'));
    const cwd = process.cwd();
    try {
      process.chdir(__dirname);
      expect(configDirOf({})).toBe(join(REPOSITORY_ROOT, 'config'));
      expect(outdirOf({})).toBe(join(REPOSITORY_ROOT, 'cdktf.out'));
      // Relative values are relative to the repository too, not to the working directory.
      expect(configDirOf({ PLATFORM_CONFIG: 'bench-config' })).toBe(join(REPOSITORY_ROOT, 'bench-config'));
      expect(outdirOf({ CDKTF_OUTDIR: 'out/x' })).toBe(join(REPOSITORY_ROOT, 'out', 'x'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('treats an empty value as unset and keeps an absolute one', () => {
    expect(configDirOf({ PLATFORM_CONFIG: '' }, '/repo')).toBe('/repo/config');
    expect(outdirOf({ CDKTF_OUTDIR: '' }, '/repo')).toBe('/repo/cdktf.out');
    expect(configDirOf({ PLATFORM_CONFIG: '/elsewhere/config' }, '/repo')).toBe('/elsewhere/config');
    expect(outdirOf({ CDKTF_OUTDIR: '/tmp/out' }, '/repo')).toBe('/tmp/out');
  });

  it('names the configuration relative to the repository, or undefined outside it', () => {
    expect(configDirInRepository({}, '/repo')).toBe('config');
    expect(configDirInRepository({ PLATFORM_CONFIG: '/repo/a/config' }, '/repo')).toBe('a/config');
    expect(configDirInRepository({ PLATFORM_CONFIG: '/repo' }, '/repo')).toBe('.');
    expect(configDirInRepository({ PLATFORM_CONFIG: '/repository-next/config' }, '/repo')).toBeUndefined();
    expect(configDirInRepository({ PLATFORM_CONFIG: '../config' }, '/repo')).toBeUndefined();
    expect(configDirInRepository({ PLATFORM_CONFIG: '..' }, '/repo')).toBeUndefined();
  });

  it("puts a platform's team folders beside its configuration directory, the root its team paths resolve against", () => {
    expect(teamFoldersOf('config')).toBe('teams');
    expect(teamFoldersOf('bench/config')).toBe(join('bench', 'teams'));
    expect(teamFoldersOf('/elsewhere/config')).toBe('/elsewhere/teams');
    expect(teamPathsRootOf('/elsewhere/config')).toBe('/elsewhere');
    expect(teamPathsRootOf('/repo/bench/config')).toBe('/repo/bench');
  });
});
