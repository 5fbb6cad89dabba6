import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerFileErasedError, CustomerFileNotFoundError, type Actor } from '@app/domain';
import { deterministicUuid, storedDataOf, verifyChain } from '@app/event-sourcing';
import { SqliteEventStore } from '@app/event-store';
import { SqliteIdempotencyStore, SqliteReadStore } from '@app/read-store';
import { PersonalDataCipher, PersonalDataEventStore, SqliteKeyStore, type DataKey } from '@app/key-store';
import type { CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileRepository } from '../../customer-file-repository';
import { CustomerFileMergeQueue } from '../../merge-queue';
import type { ErasedAsOfGenerations, ErasedAttachments } from '../../ports';
import { CustomerFileMergeCompletion } from '../merge-customer-files/merge-completion';
import { MergeCustomerFilesCommand, MergeCustomerFilesHandler } from '../merge-customer-files/merge-customer-files.handler';
import { OpenCustomerFileCommand, OpenCustomerFileHandler } from '../open-customer-file/open-customer-file.handler';
import { EraseCustomerPersonalDataCommand, EraseCustomerPersonalDataHandler } from './erase-customer-personal-data.handler';
import { ErasureCompletion } from './erasure-completion';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const uuidOf = (name: string) => deterministicUuid('2f6a1c3e-7b9d-4e21-8c5a-0d4e3f2a1b90', name);
const context = (name: string): CommandContext => ({ commandId: uuidOf(name), correlationId: uuidOf(name), causationId: uuidOf(name), actor: admin });
const request = { ground: 'consent-withdrawn' as const, reason: 'Written request received at the station.', requestReference: 'PIPL-2026-007' };

/** A key store whose next destruction fails: a crash between the recorded erasure and the key's destruction. */
class FailingOnceKeyStore extends SqliteKeyStore {
  failNext = false;
  /** Runs before the next destruction: what another caller does while the erasure is recorded and its key still lives. */
  beforeNextDestroy: (() => Promise<void>) | undefined;
  override async destroyKeys(customerId: string, keyIds: readonly string[]): Promise<number> {
    const before = this.beforeNextDestroy;
    this.beforeNextDestroy = undefined;
    if (before) await before();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk gone');
    }
    return super.destroyKeys(customerId, keyIds);
  }
}

/** A record of the log written as it stands (no chain, plaintext): enough for the lookups of an erasure. */
const raw = (type: string, data: Record<string, unknown>) => ({ eventId: uuidOf(`${type}-${JSON.stringify(data)}`), type, data, metadata: {} });

describe('erasing a customer (the use case, on the embedded stores)', () => {
  let dir: string;
  let keys: FailingOnceKeyStore;
  let store: PersonalDataEventStore;
  let repository: CustomerFileRepository;
  let erase: EraseCustomerPersonalDataHandler;
  let open: OpenCustomerFileHandler;
  let merge: MergeCustomerFilesHandler;
  let attachmentSweeps: number;
  let storedFiles: string[];
  let completion: ErasureCompletion;
  const clock = { now: () => new Date('2026-12-01T08:00:00.000Z') };
  const keyOf = async (customerId: string): Promise<DataKey> => keys.keyFor(customerId);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'customers-erase-'));
    keys = new FailingOnceKeyStore({ filename: join(dir, 'keys.sqlite') });
    const cipher = new PersonalDataCipher(keys);
    store = new PersonalDataEventStore(new SqliteEventStore({ filename: join(dir, 'events.sqlite') }), cipher, () => keys.close());
    repository = new CustomerFileRepository(store);
    const executor = new CustomerFileCommandExecutor(store, repository, clock, cipher);
    const queue = new CustomerFileMergeQueue();
    attachmentSweeps = 0;
    storedFiles = [];
    const attachments: ErasedAttachments = { storedOf: async () => storedFiles, deleteErased: async () => { attachmentSweeps += 1; return 0; } };
    completion = new ErasureCompletion(store, keys, attachments);
    erase = new EraseCustomerPersonalDataHandler(executor, queue, repository, store, keys, completion, attachments);
    open = new OpenCustomerFileHandler(executor);
    merge = new MergeCustomerFilesHandler(executor, repository, queue, new CustomerFileMergeCompletion(executor));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const openFile = (customerId: string, name: string) =>
    open.execute(new OpenCustomerFileCommand(customerId, { category: 'fixed', reason: 'signed a supply agreement', name, address: '沈阳市和平区南京北街 12 号' }, context(`open-${customerId}`)));

  it('records the erasure, destroys the key, and the file reads with its personal values unknown while its chain still verifies', async () => {
    await openFile('cust-1', '宏达运输公司');
    const { keyId } = await keyOf('cust-1');
    const read = await store.readStream('customer-cust-1');
    expect(read[0]!.data['personal']).toMatchObject({ name: '宏达运输公司', address: '沈阳市和平区南京北街 12 号' });
    expect(storedDataOf(read[0]!)['personal']).toMatchObject({ $enc: 'v1', kid: keyId });

    await erase.execute(new EraseCustomerPersonalDataCommand('cust-1', request, context('erase-1')));

    expect(await keys.get(keyId)).toBeNull();
    const events = await store.readStream('customer-cust-1');
    expect(events.map((event) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFilePersonalDataErased']);
    expect(events[0]!.data['personal']).toBeNull();
    expect(verifyChain('customer-cust-1', events)).toMatchObject({ ok: true, events: 2 });
    expect((await repository.load('cust-1')).state).toMatchObject({ status: 'erased', coveredFileIds: ['cust-1'] });
    expect(events[1]!.data['keyIds']).toEqual([keyId]);
    expect(attachmentSweeps).toBe(1);
  });

  it('destroys the keys of the files the erased one absorbed: they were the same person', async () => {
    await openFile('cust-a', '顺达物流');
    await openFile('cust-b', '顺达物流有限公司');
    await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
    const [a, b] = [await keyOf('cust-a'), await keyOf('cust-b')];
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-b', request, context('erase-b')));
    expect(await keys.get(a.keyId)).toBeNull();
    expect(await keys.get(b.keyId)).toBeNull();
    expect((await store.readStream('customer-cust-a'))[0]!.data['personal']).toBeNull();
    expect((await store.readStream('customer-cust-b')).at(-1)!.data['keyIds']).toEqual([b.keyId, a.keyId]);
    expect(attachmentSweeps).toBe(1);
  });

  it('covers every file merged into the erased one, at any depth: A into B, then B into C', async () => {
    for (const id of ['cust-ca', 'cust-cb', 'cust-cc']) await openFile(id, `${id} 物流`);
    await merge.execute(new MergeCustomerFilesCommand('cust-ca', { survivorId: 'cust-cb', reason: 'same company' }, context('merge-a-b')));
    await merge.execute(new MergeCustomerFilesCommand('cust-cb', { survivorId: 'cust-cc', reason: 'same company' }, context('merge-b-c')));
    const a = await keyOf('cust-ca');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-cc', request, context('erase-c')));
    expect((await repository.load('cust-cc')).state).toMatchObject({ status: 'erased', coveredFileIds: ['cust-cc', 'cust-cb', 'cust-ca'] });
    expect(await keys.get(a.keyId)).toBeNull();
    expect((await store.readStream('customer-cust-ca'))[0]!.data['personal']).toBeNull();
  });

  it('reaches, in a further erasure, a file an erasure recorded before chains were followed left out', async () => {
    for (const id of ['cust-oa', 'cust-ob', 'cust-oc']) await openFile(id, `${id} 物流`);
    await merge.execute(new MergeCustomerFilesCommand('cust-oa', { survivorId: 'cust-ob', reason: 'same company' }, context('merge-oa-ob')));
    await merge.execute(new MergeCustomerFilesCommand('cust-ob', { survivorId: 'cust-oc', reason: 'same company' }, context('merge-ob-oc')));
    const a = await keyOf('cust-oa');
    // What an erasure recorded before the fix left: C and B covered, A not.
    await store.append('customer-cust-oc', [raw('CustomerFilePersonalDataErased', {
      customerId: 'cust-oc', erasedAt: '2026-11-30T08:00:00.000Z', by: admin, ground: 'consent-withdrawn', reason: 'Written request.',
      personalFields: ['basics.name'], coveredFileIds: ['cust-oc', 'cust-ob'], keyIds: [], personal: null,
    })]);
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-oc', request, context('erase-oc-again')));
    expect((await repository.load('cust-oc')).state).toMatchObject({ status: 'erased', coveredFileIds: ['cust-oc', 'cust-ob', 'cust-oa'] });
    expect(await keys.get(a.keyId)).toBeNull();
  });

  it('refuses a second erasure as customer-file-erased, writing nothing more', async () => {
    await openFile('cust-2', '北方货运');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-2', request, context('erase-2')));
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-2', request, context('erase-2-again')))).rejects.toBeInstanceOf(CustomerFileErasedError);
    expect((await store.readStream('customer-cust-2')).length).toBe(2);
  });

  it('erases again what the customer gave after coming back (a new key), and only that; with nothing new since, refuses', async () => {
    await openFile('cust-4', '东方运输');
    const other = await keyOf('cust-other');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-4', request, context('erase-4')));
    const { keyId } = await keyOf('cust-4');
    const again = await erase.execute(new EraseCustomerPersonalDataCommand('cust-4', request, context('erase-4-again')));
    expect(again.revision).toBe(2);
    expect(await keys.get(keyId)).toBeNull();
    expect(await keys.get(other.keyId)).toEqual(other.key);
    const events = await store.readStream('customer-cust-4');
    expect(events.map((event) => [event.type, event.data['keyIds']])).toEqual([
      ['CustomerFileOpened', undefined], ['CustomerFilePersonalDataErased', [expect.any(String)]], ['CustomerFilePersonalDataErased', [keyId]],
    ]);
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-4', request, context('erase-4-third')))).rejects.toThrow(/nothing left to erase/);
    expect((await store.readStream('customer-cust-4')).length).toBe(3);
  });

  it('erases again when only a stored file was added since (an attachment needs no key)', async () => {
    await openFile('cust-5', '西山加油站客户');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-5', request, context('erase-5')));
    storedFiles = ['ab'.repeat(32)];
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-5', request, context('erase-5-again')));
    expect((await store.readStream('customer-cust-5')).map((event) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFilePersonalDataErased', 'CustomerFilePersonalDataErased']);
    expect(attachmentSweeps).toBe(2);
  });

  it('erases a customer that a complaint names but that has no file (an intake cut short): the file is opened with the erasure', async () => {
    const { keyId } = await keyOf('cust-9');
    await store.append('complaint-c-9', [raw('ComplaintReceived', { complaintId: 'c-9', customer: { id: 'cust-9', name: null, segment: null } })]);
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-9', request, context('erase-9')));
    const events = await store.readStream('customer-cust-9');
    expect(events.map((event) => event.type)).toEqual(['CustomerFileOpened', 'CustomerFilePersonalDataErased']);
    expect(events[0]!.data).toMatchObject({ complaintId: 'c-9', personal: null, reason: expect.stringContaining('complaint c-9') });
    expect(verifyChain('customer-cust-9', events)).toMatchObject({ ok: true });
    expect(await keys.get(keyId)).toBeNull();
  });

  it('erases a customer that only a repair names', async () => {
    const { keyId } = await keyOf('cust-8');
    await store.append('work-order-wo-8', [raw('WorkOrderReported', { workOrderId: 'wo-8', customerId: 'cust-8' })]);
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-8', request, context('erase-8')));
    expect((await store.readStream('customer-cust-8'))[0]!.data).toMatchObject({ complaintId: null, reason: expect.stringContaining('work order wo-8') });
    expect(await keys.get(keyId)).toBeNull();
  });

  it('forgets the stored Idempotency-Key answers about her file, her complaints and her repairs, and keeps everyone else\'s', async () => {
    const answers = new SqliteIdempotencyStore({ filename: join(dir, 'api.sqlite'), ttlMs: 86_400_000 });
    try {
      const now = clock.now();
      const answer = (id: string) => ({ fingerprint: `f-${id}`, status: 201, headers: {}, body: { id, revision: 0, position: 1, attachment: { fileName: `${id}-护照.jpg` } } });
      await openFile('cust-12', '林小姐');
      await store.append('complaint-c-12', [raw('ComplaintReceived', { complaintId: 'c-12', customer: { id: 'cust-12', name: null, segment: null } })]);
      await store.append('work-order-wo-12', [raw('WorkOrderReported', { workOrderId: 'wo-12', customerId: 'cust-12' })]);
      await store.append('complaint-c-13', [raw('ComplaintReceived', { complaintId: 'c-13', customer: { id: 'cust-13', name: null, segment: null } })]);
      for (const id of ['cust-12', 'c-12', 'wo-12', 'c-13']) await answers.put('agent-1', `key-${id}`, answer(id), now);
      const erasing = new EraseCustomerPersonalDataHandler(
        new CustomerFileCommandExecutor(store, repository, clock, new PersonalDataCipher(keys)), new CustomerFileMergeQueue(), repository, store, keys,
        new ErasureCompletion(store, keys, undefined, undefined, answers),
      );
      await erasing.execute(new EraseCustomerPersonalDataCommand('cust-12', request, context('erase-12')));
      for (const id of ['cust-12', 'c-12', 'wo-12']) expect(await answers.get('agent-1', `key-${id}`, now)).toBeUndefined();
      expect(await answers.get('agent-1', 'key-c-13', now)).toEqual(answer('c-13'));
    } finally {
      await answers.close();
    }
  });

  it('forgets the answer of a complaint received while the erasure ran, stored after its first pass over the answers', async () => {
    const answers = new SqliteIdempotencyStore({ filename: join(dir, 'api.sqlite'), ttlMs: 86_400_000 });
    try {
      const now = clock.now();
      await openFile('cust-14', '林小姐');
      // A command in flight: its events land and its answer is stored after the erasure has forgotten the answers once.
      keys.beforeNextDestroy = async () => {
        await store.append('complaint-c-14', [raw('ComplaintReceived', { complaintId: 'c-14', customer: { id: 'cust-14', name: null, segment: null } })]);
        await answers.put('agent-1', 'key-c-14', { fingerprint: 'f-c-14', status: 201, headers: {}, body: { id: 'c-14', revision: 0, position: 2 } }, now);
      };
      const erasing = new EraseCustomerPersonalDataHandler(
        new CustomerFileCommandExecutor(store, repository, clock, new PersonalDataCipher(keys)), new CustomerFileMergeQueue(), repository, store, keys,
        new ErasureCompletion(store, keys, undefined, undefined, answers),
      );
      await erasing.execute(new EraseCustomerPersonalDataCommand('cust-14', request, context('erase-14')));
      expect(keys.beforeNextDestroy).toBeUndefined();
      expect(await answers.get('agent-1', 'key-c-14', now)).toBeUndefined();
    } finally {
      await answers.close();
    }
  });

  it('cleans the as-of generations before it destroys the keys, and a stop between two generations is finished by completeAll', async () => {
    await openFile('cust-15', '欧阳小姐');
    const { keyId } = await keyOf('cust-15');
    const cleaned: string[] = [];
    // The first generation is cleaned, then the process stops before the second.
    let stopAfterFirst = true;
    const asOf: ErasedAsOfGenerations = {
      forget: async (erasures) => {
        expect(erasures.map((erasure) => erasure.type)).toEqual(['CustomerFilePersonalDataErased']);
        expect((await keys.liveKey('cust-15'))?.keyId).toBe(keyId);
        cleaned.push('first');
        if (stopAfterFirst) throw new Error('killed between two generations');
        cleaned.push('second');
      },
    };
    const erasing = new EraseCustomerPersonalDataHandler(
      new CustomerFileCommandExecutor(store, repository, clock, new PersonalDataCipher(keys)), new CustomerFileMergeQueue(), repository, store, keys,
      new ErasureCompletion(store, keys, undefined, undefined, undefined, asOf),
    );
    await expect(erasing.execute(new EraseCustomerPersonalDataCommand('cust-15', request, context('erase-15')))).rejects.toThrow('killed between two generations');
    expect(cleaned).toEqual(['first']);
    expect((await keys.liveKey('cust-15'))?.keyId).toBe(keyId);

    stopAfterFirst = false;
    const report = await new ErasureCompletion(store, keys, undefined, undefined, undefined, asOf).completeAll();
    expect(report).toMatchObject({ erasures: 1, keysDestroyed: 1 });
    expect(cleaned).toEqual(['first', 'first', 'second']);
    expect(await keys.liveKey('cust-15')).toBeNull();
  });

  it('destroys the key on a retry when the first attempt failed after recording the erasure', async () => {
    await openFile('cust-3', '南方石化');
    const { keyId } = await keyOf('cust-3');
    keys.failNext = true;
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-3', request, context('erase-3')))).rejects.toThrow('disk gone');
    // Not destroyed (still the live key), though closed for reading since the erasure is recorded.
    expect(await keys.liveKey('cust-3')).toMatchObject({ keyId });
    expect(await keys.get(keyId)).toBeNull();
    const retried = await erase.execute(new EraseCustomerPersonalDataCommand('cust-3', request, context('erase-3')));
    expect(retried.revision).toBe(1);
    expect(await keys.get(keyId)).toBeNull();
  });

  describe('racing intake (a complaint appended between the erasure\'s event and its key\'s destruction)', () => {
    /** A complaint's receipt as intake records it: the customer's name sealed with the customer's live key. */
    const receipt = async (complaintId: string, customerId: string, name: string) => {
      const data = await new PersonalDataCipher(keys).seal(customerId, `complaint-${complaintId}`, { complaintId, customer: { id: customerId, name }, personal: null }, [['customer', 'name']]);
      return { stream: `complaint-${complaintId}`, event: raw('ComplaintReceived', data) };
    };
    /** The names a projection would read: every complaint receipt of the log, through a catch-up subscription. */
    const namesSubscribed = async () => {
      const subscription = store.subscribeToAll({ fromPosition: 0 });
      const names: unknown[] = [];
      try {
        for await (const message of subscription) {
          if (message.kind === 'caught-up') break;
          if (message.event.type === 'ComplaintReceived') names.push((message.event.data['customer'] as { name: unknown }).name);
        }
      } finally {
        await subscription.close();
      }
      return names;
    };

    it('a receipt sealed before the erasure and appended after it reads as erased to every reader past the erasure, though the key still lives', async () => {
      await openFile('cust-race', 'Racer 0');
      const sealedBefore = await receipt('c-race-1', 'cust-race', 'Racer 1');
      let seenInGap: unknown[] = [];
      keys.beforeNextDestroy = async () => {
        await store.append(sealedBefore.stream, [sealedBefore.event]);
        // A receipt decided in the gap gets the key being erased: nothing readable is made for the erased customer.
        const sealedInGap = await receipt('c-race-2', 'cust-race', 'Racer 2');
        await store.append(sealedInGap.stream, [sealedInGap.event]);
        seenInGap = await namesSubscribed();
      };
      await erase.execute(new EraseCustomerPersonalDataCommand('cust-race', request, context('erase-race')));
      expect(seenInGap).toEqual([null, null]);
      expect(await namesSubscribed()).toEqual([null, null]);
      expect(await keys.liveKey('cust-race')).toBeNull();
      // Nothing readable is left, so a second erasure rightly finds nothing to erase.
      await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-race', request, context('erase-race-2')))).rejects.toBeInstanceOf(CustomerFileErasedError);
    });

    it('a reader past the erasure sees its keys closed even when the process stopped before destroying them (kill -9)', async () => {
      await openFile('cust-race-9', 'Racer 0');
      const sealedBefore = await receipt('c-race-9', 'cust-race-9', 'Racer 1');
      keys.failNext = true;
      await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-race-9', request, context('erase-race-9')))).rejects.toThrow('disk gone');
      await store.append(sealedBefore.stream, [sealedBefore.event]);
      expect(await namesSubscribed()).toEqual([null]);
      expect((await store.readStream(sealedBefore.stream))[0]!.data['customer']).toEqual({ id: 'cust-race-9', name: null });
      // The key is still the erasure's to destroy: the completion at the next start finds it unfinished.
      expect(await completion.completeAll()).toMatchObject({ erasures: 1, keysDestroyed: 1 });
    });

    it('a reader (a projection) that goes past a recorded erasure closes its keys itself: the process that recorded it stopped at once', async () => {
      const sealedBefore = await receipt('c-race-0', 'cust-race-0', 'Racer 1');
      const { keyId } = await keyOf('cust-race-0');
      await store.append('customer-cust-race-0', [raw('CustomerFilePersonalDataErased', {
        customerId: 'cust-race-0', erasedAt: '2026-12-01T08:00:00.000Z', by: admin, ground: 'consent-withdrawn', reason: 'r', requestReference: null,
        personalFields: [], coveredFileIds: ['cust-race-0'], keyIds: [keyId], personal: null,
      })]);
      await store.append(sealedBefore.stream, [sealedBefore.event]);
      expect(await namesSubscribed()).toEqual([null]);
      expect(await keys.get(keyId)).toBeNull();
      expect(await keys.liveKey('cust-race-0')).toMatchObject({ keyId });
    });
  });

  it('refuses a customer without a file that no record names, destroying nothing', async () => {
    const { keyId } = await keyOf('cust-without-file');
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-without-file', request, context('erase-none')))).rejects.toBeInstanceOf(CustomerFileNotFoundError);
    expect(await keys.get(keyId)).not.toBeNull();
    expect(attachmentSweeps).toBe(0);
  });

  describe('completing erasures a crash cut short (at start)', () => {
    it('destroys the key an erasure named when the process stopped between the event and the destruction, and not a key made since', async () => {
      await openFile('cust-6', '北站物流');
      const first = await keyOf('cust-6');
      keys.failNext = true;
      await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-6', request, context('erase-6')))).rejects.toThrow('disk gone');
      expect(await keys.liveKey('cust-6')).toMatchObject({ keyId: first.keyId });
      const [erasure] = (await store.readStream('customer-cust-6')).filter((event) => event.type === 'CustomerFilePersonalDataErased');
      // A start from a checkpoint at or past the erasure does not read it; one from before finishes it.
      expect(await completion.completeAll(erasure!.position)).toEqual({ erasures: 0, keysDestroyed: 0, filesDeleted: 0, position: erasure!.position });
      expect(await keys.liveKey('cust-6')).toMatchObject({ keyId: first.keyId });
      expect(await completion.completeAll(erasure!.position - 1)).toEqual({ erasures: 1, keysDestroyed: 1, filesDeleted: 0, position: erasure!.position });
      expect(await keys.get(first.keyId)).toBeNull();
      expect((await store.readStream('customer-cust-6'))[0]!.data['personal']).toBeNull();
      // The customer comes back: the new key is not the erasure's to destroy.
      const since = await keyOf('cust-6');
      expect(await completion.completeAll()).toMatchObject({ erasures: 0, keysDestroyed: 0, filesDeleted: 0 });
      expect(await keys.get(since.keyId)).toEqual(since.key);
    });

    it.each(['complete', 'completeAll'] as const)('makes the read store forget what the erasure replaced when %s finishes it (no byte left in the file or its write-ahead log)', async (finish) => {
      const readStore = new SqliteReadStore({ filename: join(dir, 'read.sqlite') });
      const secret = '南站物流-营口市站前区渤海大街 7 号';
      const readFilesHolding = () => readdirSync(dir).filter((name) => name.startsWith('read.sqlite') && readFileSync(join(dir, name)).includes(Buffer.from(secret)));
      try {
        await readStore.ensureCollections([{ name: 'files' }]);
        await readStore.commit('customer-files', [{ kind: 'put', collection: 'files', document: { id: 'cust-7', address: secret } }], 1);
        // The erasure's projection replaced the value before the process stopped; the old page is still in the log.
        await readStore.commit('customer-files', [{ kind: 'put', collection: 'files', document: { id: 'cust-7', address: null } }], 2);
        expect(readFilesHolding().length).toBeGreaterThan(0);
        await openFile('cust-7', '南站物流');
        keys.failNext = true;
        await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-7', request, context('erase-7')))).rejects.toThrow('disk gone');
        const finishing = new ErasureCompletion(store, keys, undefined, readStore);
        expect(await (finish === 'complete' ? finishing.complete('cust-7') : finishing.completeAll())).toMatchObject({ erasures: 1, keysDestroyed: 1 });
        expect(readFilesHolding()).toEqual([]);
      } finally {
        await readStore.close();
      }
    });

    it('for an erasure recorded before erasures named their keys, destroys a live key made before it only', async () => {
      const before = await keyOf('cust-old-1');
      const since = await keyOf('cust-old-2');
      const legacy = (customerId: string, erasedAt: string) => raw('CustomerFilePersonalDataErased', {
        customerId, erasedAt, by: admin, ground: 'consent-withdrawn', reason: 'r', requestReference: null, personalFields: [], coveredFileIds: [customerId], personal: null,
      });
      await store.append('customer-cust-old-1', [legacy('cust-old-1', '2999-01-01T00:00:00.000Z')]);
      await store.append('customer-cust-old-2', [legacy('cust-old-2', '2020-01-01T00:00:00.000Z')]);
      expect(await completion.completeAll()).toMatchObject({ erasures: 1, keysDestroyed: 1 });
      expect(await keys.get(before.keyId)).toBeNull();
      expect(await keys.get(since.keyId)).toEqual(since.key);
    });
  });
});
