import { ComplaintNotFoundError, WorkOrderNotFoundError } from '@app/domain';
import { EventStoreUnavailableError } from '@app/event-store';
import { pathResourceFirst } from './path-resource-first';

describe('pathResourceFirst', () => {
  const refusal = Object.assign(new Error('unknown escalation target'), { code: 'unknown-escalation-target' });

  it('reads nothing when the command succeeds', async () => {
    const requireVisible = jest.fn(async () => undefined);
    await expect(pathResourceFirst(requireVisible, async () => 'done')).resolves.toBe('done');
    expect(requireVisible).not.toHaveBeenCalled();
  });

  it('answers the body\'s refusal to a caller who may see the resource', async () => {
    await expect(pathResourceFirst(async () => 'visible', async () => { throw refusal; })).rejects.toBe(refusal);
  });

  it.each([
    ['a complaint', new ComplaintNotFoundError('0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e')],
    ['a work order', new WorkOrderNotFoundError('3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00')],
  ])('answers the 404 of %s the caller may not see instead of the body\'s refusal', async (_, notFound) => {
    await expect(pathResourceFirst(async () => { throw notFound; }, async () => { throw refusal; })).rejects.toBe(notFound);
  });

  it('keeps the command\'s refusal when the read fails otherwise (the store unavailable)', async () => {
    await expect(pathResourceFirst(async () => { throw new EventStoreUnavailableError('down'); }, async () => { throw refusal; })).rejects.toBe(refusal);
  });
});
