import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from '@app/blob-store';
import { describeBlobStoreContract } from '@app/blob-store/testing';

describeBlobStoreContract('files under DATA_DIR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-blobs-'));
  return {
    store: new FileBlobStore({ dir }),
    openAnother: async () => new FileBlobStore({ dir }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('file blob store', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'complaint-desk-blobs-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a blob at ab/cd/<sha256>, readable by its owner only, and no temporary file behind', async () => {
    const store = new FileBlobStore({ dir });
    const { sha256 } = await store.put(Buffer.from('加油小票'));
    const path = join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(statSync(path).size).toBe(Buffer.byteLength('加油小票'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('removes, when it opens, the temporary files a killed process left more than an hour ago, and leaves younger ones (another process may be writing them)', () => {
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'tmp', 'abandoned'), 'half an upload');
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    utimesSync(join(dir, 'tmp', 'abandoned'), twoHoursAgo, twoHoursAgo);
    writeFileSync(join(dir, 'tmp', 'in-progress'), 'being written');
    new FileBlobStore({ dir });
    expect(readdirSync(join(dir, 'tmp'))).toEqual(['in-progress']);
  });
});
