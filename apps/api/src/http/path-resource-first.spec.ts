import { AgentDeactivatedError, ComplaintNotFoundError, WorkOrderNotFoundError } from '@app/domain';
import { EventStoreUnavailableError } from '@app/event-store';
import { pathResourceFirst } from './path-resource-first';

describe('pathResourceFirst', () => {
  const refusal = Object.assign(new Error('unknown escalation target'), { code: 'unknown-escalation-target' });

  it('reads nothing when the command succeeds', async () => {
    const requireVisible = jest.fn(async () => undefined);
    await expect(pathResourceFirst(['dept-a'], requireVisible, async () => 'done')).resolves.toBe('done');
    expect(requireVisible).not.toHaveBeenCalled();
  });

  it('answers the body\'s refusal to a caller who may see the resource', async () => {
    await expect(pathResourceFirst(['dept-a'], async () => 'visible', async () => { throw refusal; })).rejects.toBe(refusal);
  });

  it.each([
    ['a complaint', new ComplaintNotFoundError('0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e')],
    ['a work order', new WorkOrderNotFoundError('3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00')],
  ])('answers the 404 of %s the caller may not see instead of the body\'s refusal, to a scoped caller or one who sees every department (an id that names nothing)', async (_, notFound) => {
    await expect(pathResourceFirst(['dept-a'], async () => { throw notFound; }, async () => { throw refusal; })).rejects.toBe(notFound);
    await expect(pathResourceFirst('all', async () => { throw notFound; }, async () => { throw refusal; })).rejects.toBe(notFound);
  });

  it('answers a scoped caller the read\'s own failure (the store unavailable), never the body\'s refusal it may not be told', async () => {
    const down = new EventStoreUnavailableError('down');
    await expect(pathResourceFirst(['dept-a'], async () => { throw down; }, async () => { throw refusal; })).rejects.toBe(down);
  });

  it('keeps the command\'s refusal for a caller who sees every department when the read fails otherwise', async () => {
    await expect(pathResourceFirst('all', async () => { throw new EventStoreUnavailableError('down'); }, async () => { throw refusal; })).rejects.toBe(refusal);
  });

  it('takes only the reads\' own 404s for "not found" (another not-found answers the refusal to a caller who sees everything)', async () => {
    const other = Object.assign(new Error('no such customer file'), { code: 'customer-file-not-found', kind: 'not-found' });
    await expect(pathResourceFirst('all', async () => { throw other; }, async () => { throw refusal; })).rejects.toBe(refusal);
  });

  it('tells a deactivated agent so first, whatever the resource (nothing about it is told)', async () => {
    const deactivated = new AgentDeactivatedError('li.na', '2026-12-01T08:00:00.000Z');
    const requireVisible = jest.fn(async () => { throw new WorkOrderNotFoundError('3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00'); });
    await expect(pathResourceFirst(['dept-a'], requireVisible, async () => { throw deactivated; })).rejects.toBe(deactivated);
    expect(requireVisible).not.toHaveBeenCalled();
  });
});
