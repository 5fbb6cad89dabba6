import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { leaseHolderIsGone, leaseHolderName } from './lease-holder';

describe('lease holders', () => {
  it('are named host:pid:random, unique per process start', () => {
    const name = leaseHolderName();
    expect(name).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}$`));
    expect(leaseHolderName()).not.toBe(name);
  });

  it('is gone when its process on this host has ended', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234`)).toBe(false);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(leaseHolderIsGone(`${hostname()}:${pid}:abcd1234`)).toBe(true);
  });

  it('is never taken for gone on another host, as this very process, or in another form', () => {
    expect(leaseHolderIsGone(`another-${hostname()}:999999:abcd1234`)).toBe(false);
    expect(leaseHolderIsGone(`${hostname()}:${process.pid}:abcd1234`)).toBe(false);
    expect(leaseHolderIsGone(`${hostname()}:not-a-pid:abcd1234`)).toBe(false);
    expect(leaseHolderIsGone('projector-a')).toBe(false);
  });
});
