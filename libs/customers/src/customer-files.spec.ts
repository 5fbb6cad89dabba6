import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomerFileMergedError, DEFAULT_SLA_POLICY, type Actor } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { HookedStore } from '@app/event-store/testing';
import {
  CommandIdReusedError, ComplaintCommandExecutor, ComplaintIntake, ComplaintRepository, FixedSlaPolicySource, ReceiveComplaintCommand, ReceiveComplaintHandler, complaintIdFor, executeParts,
  type AppendPart, type CommandContext,
} from '@app/complaints';
import { RepairIntake, ReportFaultCommand, ReportFaultHandler, ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository, workOrderIdFor } from '@app/after-sales';
import { CustomerFileCommandExecutor } from './customer-file-command.executor';
import { CustomerFileRepository } from './customer-file-repository';
import { CustomerFileMergeQueue } from './merge-queue';
import { CustomerFileMergeCompletion, CustomerFileMergeMonitor, MERGE_COMPLETION, type PendingMerge } from './use-cases/merge-customer-files/merge-completion';
import { MergeCustomerFilesCommand, MergeCustomerFilesHandler } from './use-cases/merge-customer-files/merge-customer-files.handler';
import { CustomerFileIntake, intakeCommandIdFor } from './use-cases/open-customer-file-at-intake/customer-file-intake';
import { CustomerFileRepairIntake, repairIntakeCommandIdFor } from './use-cases/open-customer-file-at-intake/customer-file-repair-intake';
import { OpenCustomerFileCommand, OpenCustomerFileHandler, customerIdFor } from './use-cases/open-customer-file/open-customer-file.handler';

const supervisor: Actor = { id: 'supervisor-1', role: 'supervisor' };
const agent: Actor = { id: 'agent-1', role: 'agent' };
const uuidOf = (name: string) => deterministicUuid('8c0b7a64-1d2e-4f35-9a87-6b5c4d3e2f10', name);
const context = (name: string, actor: Actor = supervisor): CommandContext => ({ commandId: uuidOf(name), correlationId: uuidOf(name), causationId: uuidOf(name), actor });
/** A customer file's part whose decision fails: it is left out, and the record is stored all the same. */
const failingPart: AppendPart = {
  key: 'customer file:cust-x', id: 'cust-x', kind: 'customer file', inTurn: (work) => work(), prepare: () => Promise.reject(new Error('the store went away')),
};
const openFixed = (name: string) => ({ category: 'fixed' as const, reason: 'signed a supply agreement', name });

describe('customer-file use cases on the embedded store', () => {
  let dir: string;
  let store: HookedStore;
  let repository: CustomerFileRepository;
  let executor: CustomerFileCommandExecutor;
  let completion: CustomerFileMergeCompletion;
  let merge: MergeCustomerFilesHandler;
  let now: Date;
  const clock = { now: () => now };
  const types = async (customerId: string) => (await repository.load(customerId)).events.map((event) => event.type);
  /** Runs `work` once, before the next append: another process getting in between a request's decisions and its append. */
  const beforeNextAppend = (work: () => Promise<unknown>) => {
    store.beforeAppend = async () => {
      store.beforeAppend = undefined;
      await work();
    };
  };
  /** Another process's intake under the same key lands between this one's decisions and its append: this one is refused (422), its customer gets no file. */
  const refusedWhenAnotherLandsFirst = async (mine: () => Promise<unknown>, elsewhere: () => Promise<unknown>, customerId: string) => {
    beforeNextAppend(elsewhere);
    await expect(mine()).rejects.toThrow(CommandIdReusedError);
    expect(await types(customerId)).toEqual([]);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'customers-'));
    store = new HookedStore({ filename: join(dir, 'events.sqlite') });
    now = new Date('2026-12-01T08:00:00.000Z');
    repository = new CustomerFileRepository(store);
    executor = new CustomerFileCommandExecutor(store, repository, clock);
    completion = new CustomerFileMergeCompletion(executor);
    merge = new MergeCustomerFilesHandler(executor, repository, new CustomerFileMergeQueue(), completion);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('opening a file', () => {
    it('gives a file opened without an id one derived from the command, so a retry lands on the same file', async () => {
      const open = new OpenCustomerFileHandler(executor);
      const first = await open.execute(new OpenCustomerFileCommand(undefined, openFixed('顺达物流'), context('open-1')));
      const again = await open.execute(new OpenCustomerFileCommand(undefined, openFixed('顺达物流'), context('open-1')));
      expect(first.id).toBe(customerIdFor(uuidOf('open-1')));
      expect(again).toEqual(first);
      expect(await types(first.id)).toEqual(['CustomerFileOpened']);
    });
  });

  describe('complaint intake', () => {
    const intake = () => new CustomerFileIntake(executor);
    /** The intake's part appended on its own: what a receipt appends beside its complaint. */
    const complaintReceived = async (customer: Parameters<CustomerFileIntake['receiptPart']>[0], at: CommandContext) => (await executeParts(store, [intake().receiptPart(customer, at)]))[0];
    const received = (complaintId: string, customerId = 'cust-1') => ({ complaintId, customerId, customerName: '李女士', segment: 'taxi' as const });

    it('opens a minimal file for an unknown customer, caused by the receipt, under a command id derived from the complaint', async () => {
      await complaintReceived(received('c-1'), context('receive-1', agent));
      const { state, events } = await repository.load('cust-1');
      expect(state).toMatchObject({ status: 'active', category: 'floating', openedForComplaint: 'c-1', basics: { name: '李女士' }, segments: { driverType: 'taxi', consumerKind: 'vehicle' } });
      expect(events[0]!.metadata).toMatchObject({ commandId: intakeCommandIdFor('c-1'), causationId: uuidOf('receive-1'), actor: agent, commandType: 'OpenCustomerFileAtIntake' });
    });

    it('appends nothing when the receipt is retried, nor for the customer\'s next complaint', async () => {
      await complaintReceived(received('c-1'), context('receive-1', agent));
      await complaintReceived(received('c-1'), context('receive-1', agent));
      await complaintReceived(received('c-2'), context('receive-2', agent));
      expect(await types('cust-1')).toEqual(['CustomerFileOpened']);
    });

    it('lets a complaint for an absorbed file through, and leaves that file as it is', async () => {
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-a', data: openFixed('A') }, context('open-a'));
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-b', data: openFixed('B') }, context('open-b'));
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      await expect(complaintReceived(received('c-3', 'cust-a'), context('receive-3', agent))).resolves.toBeNull();
      expect(await types('cust-a')).toEqual(['CustomerFileOpened', 'CustomerFileMerged']);
    });
  });

  describe('receiving a complaint (the intake stays one call)', () => {
    const complaint = { customerId: 'cust-9', customerName: '王先生', channel: 'phone' as const, cause: 'quantity-metering' as const, description: '少加了5升' };
    const receiver = (intake?: ComplaintIntake) => {
      const complaints = new ComplaintCommandExecutor(store, new ComplaintRepository(store), clock);
      return { complaints, handler: new ReceiveComplaintHandler(complaints, new FixedSlaPolicySource(DEFAULT_SLA_POLICY), intake) };
    };

    it('stores the complaint, then opens the customer\'s file, and answers the file\'s position (read your writes covers both)', async () => {
      const outcome = await receiver(new CustomerFileIntake(executor)).handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      const { state, events } = await repository.load('cust-9');
      expect(state).toMatchObject({ status: 'active', openedForComplaint: outcome.id });
      expect(events[0]!.position).toBe(outcome.position);
      expect((await new ComplaintRepository(store).load(outcome.id)).events[0]!.position).toBeLessThan(outcome.position);
    });

    it('opens the file when a receipt stopped after storing the complaint is retried with the same command id', async () => {
      const { complaints, handler } = receiver(new CustomerFileIntake(executor));
      // What a crash between the two appends leaves: the complaint, and no file.
      const stored = await complaints.execute({ type: 'ReceiveComplaint', complaintId: complaintIdFor(uuidOf('receive')), data: { ...complaint, policy: DEFAULT_SLA_POLICY } }, context('receive', agent));
      expect(await types('cust-9')).toEqual([]);
      const retried = await handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      const file = await repository.load('cust-9');
      expect(retried).toEqual({ ...stored, position: file.events[0]!.position });
      expect(file.state).toMatchObject({ status: 'active', openedForComplaint: stored.id });
    });

    it('refuses as reused (nothing written) a command id that received a complaint for another customer: no file is opened for that complaint', async () => {
      const { handler } = receiver(new CustomerFileIntake(executor));
      const first = await handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      // The same Idempotency-Key, its stored answer expired, sent with another customer.
      await expect(handler.execute(new ReceiveComplaintCommand({ ...complaint, customerId: 'cust-10' }, context('receive', agent)))).rejects.toThrow(CommandIdReusedError);
      expect(await types('cust-10')).toEqual([]);
      expect((await new ComplaintRepository(store).load(first.id)).revision).toBe(0);
    });

    it('refuses as reused (nothing written) the second of two receipts for two customers sent at once under one key from two processes', async () => {
      const { handler } = receiver(new CustomerFileIntake(executor));
      // Another process (its own executors, so it does not take turns with this one) receives a complaint for cust-10 under the
      // same Idempotency-Key between this request's decisions and its append: the same complaint id, the same event ids.
      const elsewhere = receiver(new CustomerFileIntake(new CustomerFileCommandExecutor(store, repository, clock))).handler;
      await refusedWhenAnotherLandsFirst(() => handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent))),
        () => elsewhere.execute(new ReceiveComplaintCommand({ ...complaint, customerId: 'cust-10' }, context('receive', agent))), 'cust-9');
      const stored = await new ComplaintRepository(store).load(complaintIdFor(uuidOf('receive')));
      expect(stored).toMatchObject({ revision: 0, state: { customer: { id: 'cust-10' } } });
      expect((await repository.load('cust-10')).state).toMatchObject({ openedForComplaint: stored.state.status === 'none' ? null : stored.state.id });
    });

    it('writes the complaint and the new file in one atomic append: a failed append leaves neither, and the retry writes both', async () => {
      const { handler } = receiver(new CustomerFileIntake(executor));
      store.beforeAppend = () => Promise.reject(new Error('disk full'));
      await expect(handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)))).rejects.toThrow('disk full');
      const complaintId = complaintIdFor(uuidOf('receive'));
      expect((await new ComplaintRepository(store).load(complaintId)).revision).toBe(-1);
      expect(await types('cust-9')).toEqual([]);
      store.beforeAppend = undefined;
      const retried = await handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      const file = await repository.load('cust-9');
      expect(retried).toEqual({ id: complaintId, revision: 0, position: file.events[0]!.position });
      expect(file.state).toMatchObject({ status: 'active', openedForComplaint: complaintId });
    });

    it('decides again when another request opens the file in between: only the complaint is written, the file stays as opened', async () => {
      const { handler } = receiver(new CustomerFileIntake(executor));
      // Another process (its own executor, so it does not take turns with this one) opens the file between the decisions and the append.
      const elsewhere = new CustomerFileCommandExecutor(store, repository, clock);
      beforeNextAppend(() => elsewhere.execute({ type: 'OpenCustomerFile', customerId: 'cust-9', data: openFixed('王先生') }, context('open-9')));
      const outcome = await handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      const { state, events } = await repository.load('cust-9');
      expect(events.map((event) => event.metadata['commandId'])).toEqual([uuidOf('open-9')]);
      expect(state).toMatchObject({ category: 'fixed', openedForComplaint: null });
      const stored = await new ComplaintRepository(store).load(outcome.id);
      expect(stored.events.map((event) => event.type)).toEqual(['ComplaintReceived']);
      expect(outcome).toEqual({ id: complaintIdFor(uuidOf('receive')), revision: 0, position: stored.events[0]!.position });
    });

    it('answers the receipt even when the file cannot be opened: the complaint is stored', async () => {
      const failing = new (class extends ComplaintIntake {
        override receiptPart(): AppendPart {
          return failingPart;
        }
      })();
      const outcome = await receiver(failing).handler.execute(new ReceiveComplaintCommand(complaint, context('receive', agent)));
      expect(outcome.revision).toBe(0);
      expect(await types('cust-9')).toEqual([]);
    });
  });

  describe('reporting a repair (报修 stays one call, as a complaint\'s receipt)', () => {
    const report = {
      customerId: 'cust-7', contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '辽宁省丹东市振兴区', region: '210600',
      product: { model: 'TQ-2240', serialNumber: 'TQ2240-000731' }, faultDescription: '2 号枪自动停止', channel: 'phone' as const,
    };
    const reporter = (intake?: RepairIntake) => {
      const orders = new WorkOrderCommandExecutor(store, new WorkOrderRepository(store), new ServiceNetworkRepository(store), clock);
      return { orders, handler: new ReportFaultHandler(orders, new FixedSlaPolicySource(DEFAULT_SLA_POLICY), new ComplaintRepository(store), intake) };
    };

    it('stores the order, then opens a minimal file naming it, caused by the report, and answers the file\'s position', async () => {
      const outcome = await reporter(new CustomerFileRepairIntake(executor)).handler.execute(new ReportFaultCommand(report, context('report', agent)));
      const { state, events } = await repository.load('cust-7');
      expect(state).toMatchObject({ status: 'active', category: 'floating', openedForWorkOrder: outcome.id, openedForComplaint: null, basics: { name: null, address: null }, contacts: [] });
      expect(events[0]!.metadata).toMatchObject({ commandId: repairIntakeCommandIdFor(outcome.id), causationId: uuidOf('report'), actor: agent, commandType: 'OpenCustomerFileAtIntake' });
      expect(events[0]!.position).toBe(outcome.position);
    });

    it('appends nothing to a file the customer has, nor when the report is retried', async () => {
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-7', data: openFixed('A') }, context('open-7'));
      const { handler } = reporter(new CustomerFileRepairIntake(executor));
      const first = await handler.execute(new ReportFaultCommand(report, context('report', agent)));
      const again = await handler.execute(new ReportFaultCommand(report, context('report', agent)));
      expect(again).toEqual(first);
      expect(await types('cust-7')).toEqual(['CustomerFileOpened']);
    });

    it('opens the file when a report stopped after storing the order is retried with the same command id', async () => {
      const { orders, handler } = reporter(new CustomerFileRepairIntake(executor));
      // What a crash between the two appends leaves: the order, and no file.
      const stored = await orders.execute({ type: 'ReportFault', workOrderId: workOrderIdFor(uuidOf('report')), data: { ...report, policy: DEFAULT_SLA_POLICY } }, context('report', agent));
      expect(await types('cust-7')).toEqual([]);
      const retried = await handler.execute(new ReportFaultCommand(report, context('report', agent)));
      const file = await repository.load('cust-7');
      expect(retried).toEqual({ ...stored, position: file.events[0]!.position });
      expect(file.state).toMatchObject({ status: 'active', openedForWorkOrder: stored.id });
    });

    it('refuses as reused (nothing written) a command id that reported a repair for another customer: no file is opened for that order', async () => {
      const { handler } = reporter(new CustomerFileRepairIntake(executor));
      await handler.execute(new ReportFaultCommand(report, context('report', agent)));
      await expect(handler.execute(new ReportFaultCommand({ ...report, customerId: 'cust-8' }, context('report', agent)))).rejects.toThrow(CommandIdReusedError);
      expect(await types('cust-8')).toEqual([]);
    });

    it('refuses as reused (nothing written) the second of two reports for two customers sent at once under one key from two processes', async () => {
      const { handler } = reporter(new CustomerFileRepairIntake(executor));
      // Another process reports a repair for cust-8 under the same Idempotency-Key between this request's decisions and its append.
      const elsewhere = reporter(new CustomerFileRepairIntake(new CustomerFileCommandExecutor(store, repository, clock))).handler;
      await refusedWhenAnotherLandsFirst(() => handler.execute(new ReportFaultCommand(report, context('report', agent))),
        () => elsewhere.execute(new ReportFaultCommand({ ...report, customerId: 'cust-8' }, context('report', agent))), 'cust-7');
      expect(await new WorkOrderRepository(store).load(workOrderIdFor(uuidOf('report')))).toMatchObject({ revision: 0, state: { customerId: 'cust-8' } });
      expect((await repository.load('cust-8')).state).toMatchObject({ openedForWorkOrder: workOrderIdFor(uuidOf('report')) });
    });

    it('writes the order and the new file in one atomic append: a failed append leaves neither', async () => {
      const { handler } = reporter(new CustomerFileRepairIntake(executor));
      store.beforeAppend = () => Promise.reject(new Error('disk full'));
      await expect(handler.execute(new ReportFaultCommand(report, context('report', agent)))).rejects.toThrow('disk full');
      expect((await new WorkOrderRepository(store).load(workOrderIdFor(uuidOf('report')))).revision).toBe(-1);
      expect(await types('cust-7')).toEqual([]);
    });

    it('answers the report even when the file cannot be opened: the order is stored', async () => {
      const failing = new (class extends RepairIntake {
        override reportPart(): AppendPart {
          return failingPart;
        }
      })();
      const outcome = await reporter(failing).handler.execute(new ReportFaultCommand(report, context('report', agent)));
      expect(outcome.revision).toBe(0);
      expect(await types('cust-7')).toEqual([]);
    });

    it('lets a report for an absorbed file through, and leaves that file as it is', async () => {
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-a', data: openFixed('A') }, context('open-a'));
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-b', data: openFixed('B') }, context('open-b'));
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      const outcome = await reporter(new CustomerFileRepairIntake(executor)).handler.execute(new ReportFaultCommand({ ...report, customerId: 'cust-a' }, context('report-a', agent)));
      expect(outcome.revision).toBe(0);
      expect(await types('cust-a')).toEqual(['CustomerFileOpened', 'CustomerFileMerged']);
    });
  });

  describe('merging', () => {
    beforeEach(async () => {
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-a', data: openFixed('A') }, context('open-a'));
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-b', data: openFixed('B') }, context('open-b'));
    });
    const pendingOf = (name: string): PendingMerge => ({
      absorbedId: 'cust-a', survivorId: 'cust-b', reason: 'same company', commandId: uuidOf(name), correlationId: uuidOf(name), mergedAt: now.toISOString(),
    });

    it('records the absorbed file\'s half first, then the survivor\'s, and answers the later position', async () => {
      const outcome = await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      const absorbed = await repository.load('cust-a');
      const survivor = await repository.load('cust-b');
      expect(absorbed.state).toMatchObject({ status: 'merged', survivorId: 'cust-b' });
      expect(survivor.state).toMatchObject({ status: 'active', absorbed: ['cust-a'] });
      expect(survivor.events[1]!.position).toBeGreaterThan(absorbed.events[1]!.position);
      expect(outcome).toEqual({ id: 'cust-a', revision: 1, position: survivor.events[1]!.position });
      expect(survivor.events[1]!.metadata).toMatchObject({ causationId: uuidOf('merge'), commandId: deterministicUuid(uuidOf('merge'), 'absorbed') });
    });

    it('completes a merge that stopped after its first half when the merge is retried, and appends nothing more the time after', async () => {
      // What a crash between the two appends leaves: the absorbed file's half alone.
      await executor.execute({ type: 'MergeCustomerFile', customerId: 'cust-a', data: { survivorId: 'cust-b', reason: 'same company', survivor: { status: 'active' } } }, context('merge'));
      expect(await types('cust-b')).toEqual(['CustomerFileOpened']);
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      expect(await types('cust-a')).toEqual(['CustomerFileOpened', 'CustomerFileMerged']);
      expect(await types('cust-b')).toEqual(['CustomerFileOpened', 'CustomerFileAbsorbed']);
    });

    it('has the monitor complete a half-done merge once its grace period is over, as the system', async () => {
      await executor.execute({ type: 'MergeCustomerFile', customerId: 'cust-a', data: { survivorId: 'cust-b', reason: 'same company', survivor: { status: 'active' } } }, context('merge'));
      const pending = [pendingOf('merge')];
      const monitor = new CustomerFileMergeMonitor({ pending: async (before) => pending.filter((merge) => merge.mergedAt < before.toISOString()) }, completion, clock, { intervalMs: 1000, graceMs: 30_000 });
      expect(await monitor.check()).toBe(0);
      now = new Date(now.getTime() + 31_000);
      expect(await monitor.check()).toBe(1);
      const survivor = await repository.load('cust-b');
      expect(survivor.state).toMatchObject({ absorbed: ['cust-a'] });
      expect(survivor.events[1]!.metadata).toMatchObject({ actor: MERGE_COMPLETION, causationId: uuidOf('merge') });
      // The read model has not caught up yet and lists it again: nothing more is appended.
      await monitor.check();
      expect(await types('cust-b')).toEqual(['CustomerFileOpened', 'CustomerFileAbsorbed']);
    });

    it('tells a merge into a merged file where its chain of merges ends (standing: lastSurvivorId), and nothing more of a file that stands', async () => {
      await executor.execute({ type: 'OpenCustomerFile', customerId: 'cust-c', data: openFixed('C') }, context('open-c'));
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge-ab')));
      expect(await repository.standing('cust-a')).toEqual({ status: 'merged', survivorId: 'cust-b', lastSurvivorId: 'cust-b' });
      await merge.execute(new MergeCustomerFilesCommand('cust-b', { survivorId: 'cust-c', reason: 'same company' }, context('merge-bc')));
      expect(await repository.standing('cust-a')).toEqual({ status: 'merged', survivorId: 'cust-b', lastSurvivorId: 'cust-c' });
      expect(await repository.standing('cust-c')).toEqual({ status: 'active' });
      expect(await repository.standing('cust-none')).toEqual(expect.objectContaining({ status: 'none' }));
    });

    it('refuses every later command on the absorbed file, naming the survivor', async () => {
      await merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same company' }, context('merge')));
      const refused = executor.execute({ type: 'UpdateCustomerImportance', customerId: 'cust-a', data: { reason: 'r', key: true } }, context('later'));
      await expect(refused).rejects.toBeInstanceOf(CustomerFileMergedError);
      await expect(refused).rejects.toMatchObject({ survivorId: 'cust-b' });
    });

    it('runs merges in opposite directions one after the other: the second is refused, so no cycle is left', async () => {
      const results = await Promise.allSettled([
        merge.execute(new MergeCustomerFilesCommand('cust-a', { survivorId: 'cust-b', reason: 'same' }, context('a-into-b'))),
        merge.execute(new MergeCustomerFilesCommand('cust-b', { survivorId: 'cust-a', reason: 'same' }, context('b-into-a'))),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
      expect((await repository.load('cust-b')).state.status).toBe('active');
    });
  });
});
