import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerFileErasedError, CustomerFileNotFoundError, type Actor } from '@app/domain';
import { deterministicUuid, storedDataOf, verifyChain } from '@app/event-sourcing';
import { SqliteEventStore } from '@app/event-store';
import { PersonalDataCipher, PersonalDataEventStore, SqliteKeyStore, type DataKey } from '@app/key-store';
import type { CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '../../customer-file-command.executor';
import { CustomerFileRepository } from '../../customer-file-repository';
import { CustomerFileMergeQueue } from '../../merge-queue';
import type { ErasedAttachments } from '../../ports';
import { CustomerFileMergeCompletion } from '../merge-customer-files/merge-completion';
import { MergeCustomerFilesCommand, MergeCustomerFilesHandler } from '../merge-customer-files/merge-customer-files.handler';
import { OpenCustomerFileCommand, OpenCustomerFileHandler } from '../open-customer-file/open-customer-file.handler';
import { EraseCustomerPersonalDataCommand, EraseCustomerPersonalDataHandler } from './erase-customer-personal-data.handler';

const admin: Actor = { id: 'admin-1', role: 'admin' };
const uuidOf = (name: string) => deterministicUuid('2f6a1c3e-7b9d-4e21-8c5a-0d4e3f2a1b90', name);
const context = (name: string): CommandContext => ({ commandId: uuidOf(name), correlationId: uuidOf(name), causationId: uuidOf(name), actor: admin });
const request = { ground: 'consent-withdrawn' as const, reason: 'Written request received at the station.', requestReference: 'PIPL-2026-007' };

/** A key store whose next destroy fails: a crash between the recorded erasure and the key's destruction. */
class FailingOnceKeyStore extends SqliteKeyStore {
  failNext = false;
  override async destroy(customerId: string): Promise<number> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk gone');
    }
    return super.destroy(customerId);
  }
}

describe('erasing a customer (the use case, on the embedded stores)', () => {
  let dir: string;
  let keys: FailingOnceKeyStore;
  let store: PersonalDataEventStore;
  let repository: CustomerFileRepository;
  let erase: EraseCustomerPersonalDataHandler;
  let open: OpenCustomerFileHandler;
  let merge: MergeCustomerFilesHandler;
  let deletedAttachments: string[];
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
    deletedAttachments = [];
    const attachments: ErasedAttachments = { deleteOf: async (customerId) => void deletedAttachments.push(customerId) };
    erase = new EraseCustomerPersonalDataHandler(executor, queue, repository, keys, attachments);
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
    expect(deletedAttachments).toEqual(['cust-1']);
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
    expect(deletedAttachments.sort()).toEqual(['cust-a', 'cust-b']);
  });

  it('refuses a second erasure as customer-file-erased, writing nothing more', async () => {
    await openFile('cust-2', '北方货运');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-2', request, context('erase-2')));
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-2', request, context('erase-2-again')))).rejects.toBeInstanceOf(CustomerFileErasedError);
    expect((await store.readStream('customer-cust-2')).length).toBe(2);
  });

  it('destroys nothing on a refused second erasure: what the customer gave after coming back, under a new key, stays readable', async () => {
    await openFile('cust-4', '东方运输');
    await erase.execute(new EraseCustomerPersonalDataCommand('cust-4', request, context('erase-4')));
    const { keyId } = await keyOf('cust-4');
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-4', request, context('erase-4-again')))).rejects.toBeInstanceOf(CustomerFileErasedError);
    expect(await keys.get(keyId)).not.toBeNull();
  });

  it('destroys the key on a retry when the first attempt failed after recording the erasure', async () => {
    await openFile('cust-3', '南方石化');
    const { keyId } = await keyOf('cust-3');
    keys.failNext = true;
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-3', request, context('erase-3')))).rejects.toThrow('disk gone');
    expect(await keys.get(keyId)).not.toBeNull();
    const retried = await erase.execute(new EraseCustomerPersonalDataCommand('cust-3', request, context('erase-3')));
    expect(retried.revision).toBe(1);
    expect(await keys.get(keyId)).toBeNull();
  });

  it('refuses a customer without a file, destroying nothing', async () => {
    const { keyId } = await keyOf('cust-without-file');
    await expect(erase.execute(new EraseCustomerPersonalDataCommand('cust-without-file', request, context('erase-none')))).rejects.toBeInstanceOf(CustomerFileNotFoundError);
    expect(await keys.get(keyId)).not.toBeNull();
    expect(deletedAttachments).toEqual([]);
  });
});
