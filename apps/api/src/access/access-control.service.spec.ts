import { ACCESS_CONTROL_STREAM } from '@app/domain';
import { readStreamOrEmpty, WrongExpectedRevisionError } from '@app/event-store';
import { HookedStore } from '@app/event-store/testing';
import { TooManyInFlightError } from '../http/heavy-reads';
import { AccessControl, CallerNotAuthenticatedError, MAX_WAITING_DECISIONS_PER_TOKEN, TooManyDecisionsWaitingError, type DecisionMetadata } from './access-control.service';

const ADMIN_TOKEN = 'admin-secret-token-for-the-spec';

describe('AccessControl: a decision re-checks the caller it is made for', () => {
  let store: HookedStore;
  let access: AccessControl;
  let now: Date;
  /** The configured admin, as the guard gives it: its tokenKey is the one a decision carries. */
  let admin: DecisionMetadata;

  beforeEach(async () => {
    store = new HookedStore({ filename: ':memory:' });
    now = new Date('2031-03-01T08:00:00.000Z');
    access = new AccessControl(store, () => now, [{ token: ADMIN_TOKEN, principalId: 'root', role: 'admin' }]);
    await access.start();
    admin = { actor: { id: 'root', role: 'admin' }, reason: 'set-up', tokenKey: access.authenticate(ADMIN_TOKEN)!.tokenKey };
  });

  afterEach(async () => {
    await access.close();
    await store.close();
  });

  const stream = async () => (await readStreamOrEmpty(store, ACCESS_CONTROL_STREAM)).map((event) => ({
    type: event.type, by: (event.metadata['actor'] as { id: string }).id, principalId: (event.data as { principalId: string }).principalId,
  }));

  /** A managed admin token, and the metadata of a decision asked with it (as the controller passes it). */
  async function managedAdmin(principalId: string, expiresInDays?: number): Promise<{ tokenId: string; as: DecisionMetadata }> {
    const { token, grant } = await access.issue({ principalId, role: 'admin', reason: 'an admin', ...(expiresInDays === undefined ? {} : { expiresInDays }) }, admin);
    const principal = access.authenticate(token)!;
    expect(principal.tokenKey).toBe(`token:${grant.tokenId}`);
    return { tokenId: grant.tokenId, as: { actor: principal.actor, reason: 'by the managed admin', tokenKey: principal.tokenKey } };
  }

  it('refuses an issue and a revoke asked with a revoked managed token, and appends nothing', async () => {
    const leaked = await managedAdmin('leaked.admin');
    const victim = await managedAdmin('victim');
    await access.revoke(leaked.tokenId, admin);
    const before = await stream();

    await expect(access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, leaked.as)).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    await expect(access.revoke(victim.tokenId, leaked.as)).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    expect(await stream()).toEqual(before);
  });

  it('refuses a decision asked with a managed token that has expired since, and appends nothing', async () => {
    const shortLived = await managedAdmin('contractor', 1);
    await access.issue({ principalId: 'ok', role: 'agent', reason: 'while valid' }, shortLived.as);
    const before = await stream();
    now = new Date(now.getTime() + 2 * 86_400_000);
    await expect(access.issue({ principalId: 'late', role: 'agent', reason: 'r' }, shortLived.as)).rejects.toThrow(/not valid \(unknown, revoked or expired\)/);
    expect(await stream()).toEqual(before);
  });

  it('refuses a decision asked with a configured token no longer in the configuration (tokens.json replaced), and takes one still in it', async () => {
    access.replaceConfigured([{ token: 'another-admin-token-of-the-spec', principalId: 'root2', role: 'admin' }]);
    await expect(access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, admin)).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    expect(await stream()).toEqual([]);
    const current = access.authenticate('another-admin-token-of-the-spec')!;
    await access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, { actor: current.actor, reason: 'r', tokenKey: current.tokenKey });
    expect(await stream()).toEqual([{ type: 'AccessTokenIssued', by: 'root2', principalId: 'x' }]);
  });

  it('refuses a decision asked with a configured token that a rotation of tokens.json demoted (same token, another role)', async () => {
    access.replaceConfigured([{ token: ADMIN_TOKEN, principalId: 'root', role: 'agent' }]);
    await expect(access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, admin)).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    expect(await stream()).toEqual([]);
  });

  it('refuses a decision whose tokenKey names no token at all', async () => {
    await expect(access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, { ...admin, tokenKey: 'token:5d0b8c4e-1f4c-4a59-9a8e-0b1f2c3d4e5f' })).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    await expect(access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, { ...admin, tokenKey: 'configured:0000000000000000' })).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
    expect(await stream()).toEqual([]);
  });

  it('takes a decision with no tokenKey (the CLI, the server itself) as before', async () => {
    const operator = { actor: { id: 'cli:operator', role: 'admin' as const }, reason: 'from the shell' };
    const { grant } = await access.issue({ principalId: 'x', role: 'agent', reason: 'r' }, operator);
    await access.revoke(grant.tokenId, operator);
    expect((await stream()).map((event) => event.type)).toEqual(['AccessTokenIssued', 'AccessTokenRevoked']);
  });

  /** Holds the next append until release(): every decision asked meanwhile waits in the queue. */
  function gateNextAppend(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    store.beforeAppend = async () => {
      if (held) return;
      held = true;
      await gate;
    };
    return release;
  }

  it('runs a revocation ahead of every waiting issue: once the running decision ends, the revoke runs and every queued issue of the revoked token is refused', async () => {
    const leaked = await managedAdmin('leaked.admin');
    const start = (await stream()).length;
    // The first append waits: every decision asked meanwhile queues behind it.
    const release = gateNextAppend();
    const issue = (index: number) => access.issue({ principalId: `minted.${index}`, role: 'admin', reason: 'minted' }, leaked.as);
    const running = issue(0);
    const before = [1, 2, 3].map(issue);
    const revocation = access.revoke(leaked.tokenId, { ...admin, reason: 'leaked' });
    const after = [4, 5, 6].map(issue);
    const settled = Promise.allSettled([running, ...before, revocation, ...after]);
    // Let every decision reach the service's queue (or, without one, the store) before the first append goes on.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const outcomes = await settled;

    expect(outcomes[0]!.status).toBe('fulfilled');
    expect(outcomes[4]!.status).toBe('fulfilled');
    for (const outcome of [...outcomes.slice(1, 4), ...outcomes.slice(5)]) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(CallerNotAuthenticatedError);
    }
    // Only the issue that was already running is recorded, then the revocation; nothing of the leaked token after it.
    expect((await stream()).slice(start)).toEqual([
      { type: 'AccessTokenIssued', by: 'leaked.admin', principalId: 'minted.0' },
      { type: 'AccessTokenRevoked', by: 'root', principalId: 'leaked.admin' },
    ]);
  });

  it('runs waiting revocations in their own order of arrival, all before the issues that waited longer', async () => {
    const first = await managedAdmin('first');
    const second = await managedAdmin('second');
    const start = (await stream()).length;
    const release = gateNextAppend();
    const running = access.issue({ principalId: 'running', role: 'agent', reason: 'r' }, admin);
    const issued = access.issue({ principalId: 'waited', role: 'agent', reason: 'r' }, admin);
    const revocations = [access.revoke(first.tokenId, admin), access.revoke(second.tokenId, admin)];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([running, issued, ...revocations]);
    expect((await stream()).slice(start)).toEqual([
      { type: 'AccessTokenIssued', by: 'root', principalId: 'running' },
      { type: 'AccessTokenRevoked', by: 'root', principalId: 'first' },
      { type: 'AccessTokenRevoked', by: 'root', principalId: 'second' },
      { type: 'AccessTokenIssued', by: 'root', principalId: 'waited' },
    ]);
  });

  it(`refuses at once a decision beyond ${MAX_WAITING_DECISIONS_PER_TOKEN} waiting for one caller token (429 too-many-in-flight), writes nothing of it; another token has its own cap, decisions without a tokenKey have none`, async () => {
    const leaked = await managedAdmin('leaked.admin');
    const start = (await stream()).length;
    const release = gateNextAppend();
    const issue = (index: number) => access.issue({ principalId: `minted.${index}`, role: 'agent', reason: 'r' }, leaked.as);
    const running = issue(0);
    const waiting = Array.from({ length: MAX_WAITING_DECISIONS_PER_TOKEN }, (_, index) => issue(index + 1));
    // Refused while the others still wait (the gate is closed): at once, not after a wait.
    const refused = issue(99);
    await expect(refused).rejects.toBeInstanceOf(TooManyDecisionsWaitingError);
    await expect(refused).rejects.toBeInstanceOf(TooManyInFlightError);
    await expect(access.revoke(leaked.tokenId, leaked.as)).rejects.toBeInstanceOf(TooManyDecisionsWaitingError);
    // Another token has its own cap, and the CLI (no tokenKey) has none.
    const operator = { actor: { id: 'cli:operator', role: 'admin' as const }, reason: 'from the shell' };
    const others = [
      ...Array.from({ length: MAX_WAITING_DECISIONS_PER_TOKEN }, (_, index) => access.issue({ principalId: `by.root.${index}`, role: 'agent', reason: 'r' }, admin)),
      ...Array.from({ length: MAX_WAITING_DECISIONS_PER_TOKEN + 2 }, (_, index) => access.issue({ principalId: `by.cli.${index}`, role: 'agent', reason: 'r' }, operator)),
    ];
    release();
    await Promise.all([running, ...waiting, ...others]);
    const recorded = (await stream()).slice(start).map((event) => event.principalId);
    expect(recorded).toHaveLength(1 + 2 * MAX_WAITING_DECISIONS_PER_TOKEN + MAX_WAITING_DECISIONS_PER_TOKEN + 2);
    expect(recorded).not.toContain('minted.99');
    // Once the queue has emptied, the token may ask again.
    await access.issue({ principalId: 'minted.later', role: 'agent', reason: 'r' }, leaked.as);
  });

  describe('asCaller: a command and the revocations it brings as one turn of the queue', () => {
    /** Something the turn writes besides its revocations (the deactivation, in the service network's controller). */
    let written: string[];
    beforeEach(() => (written = []));

    it('refuses the whole turn, nothing written, when the revocation of the caller ran before it', async () => {
      const leaked = await managedAdmin('leaked.admin');
      const person = await managedAdmin('person');
      const start = (await stream()).length;
      const release = gateNextAppend();
      const running = access.issue({ principalId: 'running', role: 'agent', reason: 'r' }, admin);
      const turn = access.asCaller(leaked.as.tokenKey, leaked.as.actor, async (revoke) => {
        written.push('deactivation');
        await revoke(person.tokenId, { actor: leaked.as.actor, reason: 'deactivated' });
      });
      const revocation = access.revoke(leaked.tokenId, { ...admin, reason: 'leaked' });
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await running;
      await revocation;
      await expect(turn).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
      expect(written).toEqual([]);
      expect((await stream()).slice(start)).toEqual([
        { type: 'AccessTokenIssued', by: 'root', principalId: 'running' },
        { type: 'AccessTokenRevoked', by: 'root', principalId: 'leaked.admin' },
      ]);
    });

    it('runs the command and its revocations in one turn when it comes first: the revocation of the caller waits for the whole turn, the revocations inside do not re-enter the queue', async () => {
      const leaked = await managedAdmin('leaked.admin');
      const people = [await managedAdmin('person.a'), await managedAdmin('person.b')];
      const start = (await stream()).length;
      const release = gateNextAppend();
      const turn = access.asCaller(leaked.as.tokenKey, leaked.as.actor, async (revoke) => {
        written.push('deactivation');
        for (const person of people) await revoke(person.tokenId, { actor: leaked.as.actor, reason: 'deactivated' });
        return 'done';
      });
      const revocation = access.revoke(leaked.tokenId, { ...admin, reason: 'leaked' });
      const later = access.issue({ principalId: 'minted', role: 'admin', reason: 'r' }, leaked.as);
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await expect(turn).resolves.toBe('done');
      await revocation;
      await expect(later).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
      expect(written).toEqual(['deactivation']);
      expect((await stream()).slice(start)).toEqual([
        { type: 'AccessTokenRevoked', by: 'leaked.admin', principalId: 'person.a' },
        { type: 'AccessTokenRevoked', by: 'leaked.admin', principalId: 'person.b' },
        { type: 'AccessTokenRevoked', by: 'root', principalId: 'leaked.admin' },
      ]);
    });

    it('takes a turn without a tokenKey (no caller token to check), and refuses a revoke handed out once its turn has ended', async () => {
      const person = await managedAdmin('person');
      let kept!: (tokenId: string, decision: DecisionMetadata) => Promise<unknown>;
      await access.asCaller(undefined, { id: 'cli:operator', role: 'admin' }, async (revoke) => {
        kept = revoke;
      });
      await expect(kept(person.tokenId, admin)).rejects.toThrow(/turn has ended/);
      expect((await stream()).map((event) => event.type)).not.toContain('AccessTokenRevoked');
    });
  });

  it('never conflicts with itself: parallel decisions in one process each append once, at the first attempt', async () => {
    const appends: string[] = [];
    const original = store.append.bind(store);
    store.append = async (...args: Parameters<HookedStore['append']>) => {
      try {
        const result = await original(...args);
        appends.push('ok');
        return result;
      } catch (error) {
        appends.push(error instanceof WrongExpectedRevisionError ? 'conflict' : 'error');
        throw error;
      }
    };
    // Asked without a tokenKey (as the CLI asks), so that more wait at once than one token may have waiting.
    const operator = { actor: { id: 'cli:operator', role: 'admin' as const }, reason: 'from the shell' };
    const issued = await Promise.all(Array.from({ length: 12 }, (_, index) => access.issue({ principalId: `p${index}`, role: 'agent', reason: 'r' }, operator)));
    const revoked = await access.revoke(issued[3]!.grant.tokenId, admin);
    expect(revoked.grant.revokedAt).not.toBeNull();
    expect(appends).toEqual(Array(13).fill('ok'));
  });

  it('still retries a conflict with another process, and re-checks the caller on the retry (revoked there meanwhile: refused, nothing appended)', async () => {
    const leaked = await managedAdmin('leaked.admin');
    // Another process (the CLI, another API instance) on the same store.
    const other = new AccessControl(store, () => now);
    await other.start();
    try {
      let interjected = 0;
      store.beforeAppend = async () => {
        if (interjected > 0) return;
        interjected += 1;
        await other.issue({ principalId: 'from.elsewhere', role: 'agent', reason: 'elsewhere' }, { actor: { id: 'cli:operator', role: 'admin' }, reason: 'elsewhere' });
      };
      await access.issue({ principalId: 'retried', role: 'agent', reason: 'r' }, admin);
      expect((await stream()).slice(-2).map((event) => event.principalId)).toEqual(['from.elsewhere', 'retried']);

      interjected = 0;
      store.beforeAppend = async () => {
        if (interjected > 0) return;
        interjected += 1;
        await other.revoke(leaked.tokenId, { actor: { id: 'cli:operator', role: 'admin' }, reason: 'leaked' });
      };
      const before = (await stream()).length;
      await expect(access.issue({ principalId: 'minted', role: 'admin', reason: 'r' }, leaked.as)).rejects.toBeInstanceOf(CallerNotAuthenticatedError);
      expect((await stream()).slice(before)).toEqual([{ type: 'AccessTokenRevoked', by: 'cli:operator', principalId: 'leaked.admin' }]);
    } finally {
      await other.close();
    }
  });
});
