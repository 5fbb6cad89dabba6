import { deciderSpecification } from '@app/event-sourcing/testing';
import { EngineerStoodDownError, engineerDutyDecider, engineerDutyStreamName, type EngineerDutyCommand, type EngineerDutyEvent } from './engineer-duty';

const spec = deciderSpecification(engineerDutyDecider);
const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
const take = (workOrderId: string, at = '2026-03-01T08:00:00.000Z'): EngineerDutyCommand => ({ type: 'TakeWorkOrder', data: { engineerId: 'eng-wang', workOrderId }, at, actor: supervisor });
const standDown: EngineerDutyCommand = { type: 'StandDownEngineer', data: { engineerId: 'eng-wang' }, at: '2026-03-01T09:00:00.000Z', actor: supervisor };
const taken = (workOrderId: string, takenAt = '2026-03-01T08:00:00.000Z'): EngineerDutyEvent => ({ type: 'EngineerWorkOrderTaken', data: { engineerId: 'eng-wang', workOrderId, takenAt } });
const stoodDown: EngineerDutyEvent = { type: 'EngineerStoodDown', data: { engineerId: 'eng-wang', stoodDownAt: '2026-03-01T09:00:00.000Z' } };

describe("an engineer's duty (the fence between their dispatches and their deactivation)", () => {
  describe('on duty', () => {
    it('takes a work order given to them', () => {
      spec.given([]).when(take('wo-1')).then([taken('wo-1')]);
    });

    it('takes an order again when it comes back to them (a redispatch back, a reopen): every giving moves the fence', () => {
      spec.given([taken('wo-1')]).when(take('wo-1', '2026-03-02T08:00:00.000Z')).then([taken('wo-1', '2026-03-02T08:00:00.000Z')]);
    });

    it('is stood down by the deactivation, whatever they still hold', () => {
      spec.given([taken('wo-1'), taken('wo-2')]).when(standDown).then([stoodDown]);
    });
  });

  describe('stood down', () => {
    it('refuses an order given after the deactivation was stored (400 engineer-inactive on the engineer id), though it was decided before', () => {
      spec.given([taken('wo-1'), stoodDown]).when(take('wo-2')).thenThrows(EngineerStoodDownError, (error) => expect(error).toMatchObject({ code: 'engineer-inactive', kind: 'invalid', field: 'engineerId' }));
    });

    it('records a second stand-down as nothing', () => {
      spec.given([stoodDown]).when(standDown).then([]);
    });
  });

  it('knows the orders given, each once, in the order given, and keeps them when stood down', () => {
    const state = [taken('wo-1'), taken('wo-2'), taken('wo-1'), stoodDown].reduce(engineerDutyDecider.evolve, engineerDutyDecider.initialState);
    expect(state).toEqual({ status: 'stood-down', workOrderIds: ['wo-1', 'wo-2'], stoodDownAt: '2026-03-01T09:00:00.000Z' });
  });

  it('has one stream per engineer as the directory tells them apart (case and width aside)', () => {
    expect([engineerDutyStreamName('Eng-Wang'), engineerDutyStreamName('ｅｎｇ－ｗａｎｇ')]).toEqual(['engineer-duty-eng-wang', 'engineer-duty-eng-wang']);
  });
});
