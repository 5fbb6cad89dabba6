import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CannotMakeDirectoryError, UNMAKEABLE_DIRECTORY_CODES, danglingLinkOn, isUnmakeableDirectory, makeDirectories, makeDirectory, unreachableDirectoryProblem } from './create-once';

describe('making a directory and those above it (mkdir -p)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'make-directories-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the topmost directory it made, so that removing it removes the rest; undefined when the directory was there', () => {
    expect(makeDirectories(join(dir, 'a', 'b', 'c'))).toBe(join(dir, 'a'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    expect(makeDirectories(join(dir, 'a', 'b', 'c'))).toBeUndefined();
    expect(makeDirectories(join(dir, 'a', 'd'))).toBe(join(dir, 'a', 'd'));
    // In the spelling given: a relative path gives a relative one.
    const given = relative(process.cwd(), join(dir, 'rel', 'x'));
    expect(makeDirectories(given)).toBe(relative(process.cwd(), join(dir, 'rel')));
  });

  it('makes every level with the mode given, as Node\'s recursive mkdir did', () => {
    makeDirectories(join(dir, 'private', 'seals'), 0o700);
    for (const level of ['private', join('private', 'seals')]) expect(statSync(join(dir, level)).mode & 0o777).toBe(0o700);
  });

  it('removes the directories it made when a level below them cannot be made, and throws mkdir\'s error', () => {
    // A name longer than a file system takes (255 bytes): the levels above it were made first.
    expect(() => makeDirectories(join(dir, 'made', 'then', 'x'.repeat(300)))).toThrow(expect.objectContaining({ code: 'ENAMETOOLONG' }));
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'file'), 'not a directory');
    expect(() => makeDirectories(join(dir, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  // The attacker's: a relative target was shown as written (made from elsewhere, the wrong directory), a loop as "does not exist".
  it('names a link to nothing by the target it resolves to, and a loop of links as mkdir does (ELOOP), not as a link to nothing', () => {
    symlinkSync(join('target2', 'sub'), join(dir, 'relative'));
    expect(() => makeDirectory(join(dir, 'relative', 'x'), { purpose: 'DATA_DIR' })).toThrow(`${join(dir, 'relative')} is a symbolic link to ${join(dir, 'target2', 'sub')}, which does not exist`);
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    const loop = (() => {
      try {
        makeDirectory(join(dir, 'loop', 'd'), { purpose: 'DATA_DIR' });
        return 'made';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(loop).toMatch(/ELOOP/);
    expect(loop).not.toMatch(/does not exist/);
  });

  // The attacker's: a loop (ln -s b a; ln -s a b) was mkdir's "EEXIST … give a directory you can write" when it was the directory itself.
  it('names a loop of links as a loop, on the directory itself or above it, and says what to do', () => {
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    for (const path of [join(dir, 'a'), join(dir, 'a', 'seals'), join(dir, 'b', 'x', 'y')]) {
      const at = path.startsWith(join(dir, 'b')) ? join(dir, 'b') : join(dir, 'a');
      expect(danglingLinkOn(path)).toBe(`${at} is a loop of symbolic links (ELOOP): point it at a directory that exists, or delete it to have ${at} made`);
      expect(() => makeDirectory(path, { purpose: 'SEAL_DIR' })).toThrow(new CannotMakeDirectoryError(`cannot make ${path}, SEAL_DIR: ${danglingLinkOn(path)}.`));
    }
    expect(danglingLinkOn(join(dir, 'plain', 'x'))).toBeUndefined();
  });

  it('says before anything is made why a directory cannot be reached (a link to nothing, a loop), in makeDirectory\'s words', () => {
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(unreachableDirectoryProblem(join(dir, 'dangling'), 'SEAL_DIR'))
      .toBe(`cannot make ${join(dir, 'dangling')}, SEAL_DIR: ${join(dir, 'dangling')} is a symbolic link to ${join(dir, 'nowhere')}, which does not exist: `
        + `create that directory (mount it), point the link at a directory that exists, or delete the link to have ${join(dir, 'dangling')} made.`);
    expect(() => makeDirectory(join(dir, 'dangling'), { purpose: 'SEAL_DIR' })).toThrow(unreachableDirectoryProblem(join(dir, 'dangling'), 'SEAL_DIR'));
    expect(unreachableDirectoryProblem(join(dir, 'fine', 'seals'), 'SEAL_DIR')).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['dangling']);
  });

  // As mkdir -p says "File exists": it was taken as there, and the failure came later naming a temporary file in it.
  it('refuses a directory that is a file already (EEXIST), and makeDirectory names it', () => {
    writeFileSync(join(dir, 'file'), 'not a directory');
    expect(() => makeDirectories(join(dir, 'file'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeDirectory(join(dir, 'file'), { purpose: 'SEAL_DIR' })).toThrow(CannotMakeDirectoryError);
    expect(() => makeDirectory(join(dir, 'file'), { purpose: 'SEAL_DIR' })).toThrow(new RegExp(`cannot make ${join(dir, 'file')}, SEAL_DIR`));
  });

  it('makes only the levels that are not there, and names none that was', () => {
    mkdirSync(join(dir, 'theirs'));
    expect(makeDirectories(join(dir, 'theirs', 'mine'))).toBe(join(dir, 'theirs', 'mine'));
  });

  // Node's own mkdirSync(dir, { recursive: true }) spins for ever there: mkdir answers ENOENT while the parent exists.
  (process.platform === 'linux' ? it : it.skip)('fails at once under /proc, naming the level it could not make (Linux only: /proc)', () => {
    expect(() => makeDirectories('/proc/complaint-desk-x/y')).toThrow("ENOENT: no such file or directory, mkdir '/proc/complaint-desk-x'");
    expect(() => makeDirectory('/proc/complaint-desk-x/y', { purpose: 'the directory of the seals' }))
      .toThrow(new CannotMakeDirectoryError("cannot make /proc/complaint-desk-x/y, the directory of the seals: ENOENT: no such file or directory, mkdir '/proc/complaint-desk-x'; give a directory you can write"));
    expect(existsSync('/proc/complaint-desk-x')).toBe(false);
  });

  describe('one list of the failures that are the operator\'s to fix (DATA_DIR in the CLI and the seal directories share it)', () => {
    it.each([
      ['ENOTDIR', 'a file on the path'], ['EEXIST', 'a file there'], ['EACCES', 'no permission'], ['EPERM', 'not permitted'], ['EROFS', 'a read-only file system'],
      ['ENOENT', '/proc, or a parent removed meanwhile'], ['ENAMETOOLONG', 'a name too long'], ['ELOOP', 'a loop of links'], ['ENOSPC', 'a full disk'], ['EDQUOT', 'a quota reached'], ['EINVAL', 'a name the file system does not take (`:` on vfat)'],
    ])('%s (%s) is one', (code) => {
      expect(UNMAKEABLE_DIRECTORY_CODES.has(code)).toBe(true);
      expect(isUnmakeableDirectory(Object.assign(new Error(code), { code }))).toBe(true);
    });

    it.each([['EMFILE'], ['EIO'], ['ERR_INVALID_ARG_VALUE'], [undefined]])('%s is none: an unexpected failure, thrown as it is', (code) => {
      expect(isUnmakeableDirectory(Object.assign(new Error('x'), { code }))).toBe(false);
      expect(isUnmakeableDirectory('not an error')).toBe(false);
    });

    it('names the failures of the list, and throws another as it came (a path with a NUL is no directory to give again)', () => {
      writeFileSync(join(dir, 'file'), 'not a directory');
      for (const path of [join(dir, 'file', 'sub'), join(dir, 'file'), join(dir, 'x'.repeat(300))]) {
        expect(() => makeDirectory(path, { purpose: 'SEAL_DIR' })).toThrow(CannotMakeDirectoryError);
      }
      const thrown = (() => {
        try {
          makeDirectory(join(dir, 'nul\0name'), { purpose: 'SEAL_DIR' });
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(thrown).toBeDefined();
      expect(thrown).not.toBeInstanceOf(CannotMakeDirectoryError);
      expect(thrown).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    });
  });
});
