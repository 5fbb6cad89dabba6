import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UNRECOGNISED_HOLDER, leaseHolderIsGone, leaseHolderName, processSpace, shownLeaseHolder } from './lease-holder';

describe('lease holders', () => {
  it('are named host:pid:random:space, unique per process start, with this process\'s pid namespace', () => {
    const name = leaseHolderName();
    expect(name).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}:${processSpace()}$`));
    expect(processSpace()).toMatch(/^[0-9a-f]{8}$/);
    expect(leaseHolderName()).not.toBe(name);
  });

  it('are shown as they are when they have the shape of a holder name (an older version\'s too), else as one fixed word', () => {
    const own = leaseHolderName();
    expect(shownLeaseHolder(own)).toBe(own);
    expect(shownLeaseHolder('web-1:7:3f2a9c1d:5e0b91c4')).toBe('web-1:7:3f2a9c1d:5e0b91c4');
    expect(shownLeaseHolder('web-1.example.org:12345:3f2a9c1d')).toBe('web-1.example.org:12345:3f2a9c1d');
    for (const edited of ['x'.repeat(5_000), `web-1:7:3f2a9c1d:5e0b91c4${'x'.repeat(5_000)}`, 'web-1:7:3f2a9c1d:5e0b91c4\n', 'web\u0000-1:7:3f2a9c1d:5e0b91c4', 'web\u001b[31m:7:3f2a9c1d:5e0b91c4',
      `${'h'.repeat(65)}:7:3f2a9c1d:5e0b91c4`, 'web-1:7:3F2A9C1D:5e0b91c4', 'web-1:7:3f2a9c1d:5e0b91c4:extra', '', 'web 1:7:3f2a9c1d:5e0b91c4']) {
      expect(shownLeaseHolder(edited)).toBe(UNRECOGNISED_HOLDER);
    }
  });

  it('is gone when its process on this host has ended', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234:${processSpace()}`)).toBe(false);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234:${processSpace()}`)).toBe(true);
  });

  it('is gone when its process has ended but not been reaped by its parent yet (a zombie)', async () => {
    // The background sleep's parent becomes the second sleep (exec), which never waits for it.
    const shell = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 10'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => shell.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    try {
      const ended = Date.now() + 5000;
      while (Date.now() < ended && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toMatch(/\) Z /);
      expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234:${processSpace()}`)).toBe(true);
    } finally {
      shell.kill('SIGKILL');
    }
  });

  it('is never taken for gone on another host, as this very process, or in another form', () => {
    expect(leaseHolderIsGone(`another-${hostname()}:999999:abcd1234:${processSpace()}`)).toBe(false);
    expect(leaseHolderIsGone(`${hostname()}:${process.pid}:abcd1234:${processSpace()}`)).toBe(false);
    expect(leaseHolderIsGone(`${hostname()}:not-a-pid:abcd1234:${processSpace()}`)).toBe(false);
    expect(leaseHolderIsGone('projector-a')).toBe(false);
  });

  it('is never taken for gone when it ran in another pid namespace under this host name (another container), where its pid means another process or none', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Here that pid is no process: a holder of this namespace is gone, one of another (alive there) is not.
    const otherSpace = processSpace() === '00000000' ? '00000001' : '00000000';
    expect({ here: leaseHolderIsGone(`${hostname()}:${pid}:abcd1234:${processSpace()}`), otherContainer: leaseHolderIsGone(`${hostname()}:${pid}:abcd1234:${otherSpace}`) })
      .toEqual({ here: true, otherContainer: false });
    // A name of the older form (host:pid:random) cannot say where its pid was read: waited for, not taken over.
    expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234`)).toBe(false);
  });
});
