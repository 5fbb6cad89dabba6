import { deciderSpecification } from '@app/event-sourcing/testing';
import { EngineerStoodDownError, engineerDutyDecider, engineerDutyStreamName, type EngineerDutyCommand, type EngineerDutyEvent } from './engineer-duty';

const spec = deciderSpecification(engineerDutyDecider);
const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
const take = (workOrderId: string, at = '2026-03-01T08:00:00.000Z'): EngineerDutyCommand => ({ type: 'TakeWorkOrder', data: { engineerId: 'eng-wang', workOrderId }, at, actor: supervisor });
const standDown: EngineerDutyCommand = { type: 'StandDownEngineer', data: { engineerId: 'eng-wang' }, at: '2026-03-01T09:00:00.000Z', actor: supervisor };
const taken = (workOrderId: string, takenAt = '2026-03-01T08:00:00.000Z'): EngineerDutyEvent => ({ type: 'EngineerWorkOrderTaken', data: { engineerId: 'eng-wang', workOrderId, takenAt } });
const stoodDown: EngineerDutyEvent = { type: 'EngineerStoodDown', data: { engineerId: 'eng-wang', stoodDownAt: '2026-03-01T09:00:00.000Z' } };
const open: EngineerDutyCommand = { type: 'OpenEngineerDuty', data: { engineerId: 'eng-wang' }, at: '2026-03-01T07:00:00.000Z', actor: supervisor };
const opened = (workOrderIds: string[], openedAt = '2026-03-01T07:00:00.000Z'): EngineerDutyEvent => ({ type: 'EngineerDutyOpened', data: { engineerId: 'eng-wang', workOrderIds, openedAt } });

describe("an engineer's duty (the fence between their dispatches and their deactivation)", () => {
  describe('opened', () => {
    it("opens with the engineer's addition, holding no order yet", () => {
      spec.given([]).when(open).then([opened([])]);
    });

    it('records an opening once: opened again (a retry of the addition), nothing', () => {
      spec.given([opened([]), taken('wo-1')]).when(open).then([]);
    });

    it("does not open an older log's duty that already holds orders without the orders given before it (the next giving or stand-down opens it with them)", () => {
      spec.given([taken('wo-1')]).when(open).then([]);
    });

    it('takes an order without looking up older ones again, whatever the command brings', () => {
      spec.given([opened([])]).when({ ...take('wo-1'), olderOrders: ['wo-0'] } as EngineerDutyCommand).then([taken('wo-1')]);
    });
  });

  describe("an older log's duty, not opened", () => {
    it('opens with the orders the log gave before it, in the same append as the order given now', () => {
      spec.given([]).when({ ...take('wo-3'), olderOrders: ['wo-1', 'wo-2'] } as EngineerDutyCommand).then([opened(['wo-1', 'wo-2'], '2026-03-01T08:00:00.000Z'), taken('wo-3')]);
    });

    it('opens with them in the deactivation, when that is the first thing its stream records', () => {
      spec.given([]).when({ ...standDown, olderOrders: ['wo-1'] } as EngineerDutyCommand).then([opened(['wo-1'], '2026-03-01T09:00:00.000Z'), stoodDown]);
    });

    it('takes an order as before when nobody looked the older ones up (the deactivation\'s list then scans for them)', () => {
      spec.given([taken('wo-1')]).when(take('wo-2')).then([taken('wo-2')]);
    });
  });

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

    it('refuses a complaint assigned to them after the deactivation was stored, as an order', () => {
      const assign: EngineerDutyCommand = { type: 'TakeComplaint', data: { engineerId: 'eng-wang', complaintId: 'c-1' }, at: '2026-03-01T10:00:00.000Z', actor: supervisor };
      spec.given([opened([]), stoodDown]).when(assign).thenThrows(EngineerStoodDownError, (error) => expect(error).toMatchObject({ code: 'engineer-inactive', engineerId: 'eng-wang' }));
    });

    it('records a second stand-down as nothing', () => {
      spec.given([stoodDown]).when(standDown).then([]);
    });
  });

  it('takes a complaint assigned to them as a fence only: recorded, moving the stream, but not among the orders the deactivation lists', () => {
    const assign: EngineerDutyCommand = { type: 'TakeComplaint', data: { engineerId: 'eng-wang', complaintId: 'c-1' }, at: '2026-03-01T08:00:00.000Z', actor: supervisor };
    const complaintTaken: EngineerDutyEvent = { type: 'EngineerComplaintTaken', data: { engineerId: 'eng-wang', complaintId: 'c-1', takenAt: '2026-03-01T08:00:00.000Z' } };
    spec.given([opened([]), taken('wo-1')]).when(assign).then([complaintTaken]);
    expect([opened([]), taken('wo-1'), complaintTaken].reduce(engineerDutyDecider.evolve, engineerDutyDecider.initialState)).toEqual({ status: 'on-duty', opened: true, workOrderIds: ['wo-1'] });
  });

  it('knows the orders given, each once, in the order given, and keeps them when stood down', () => {
    const state = [taken('wo-1'), taken('wo-2'), taken('wo-1'), stoodDown].reduce(engineerDutyDecider.evolve, engineerDutyDecider.initialState);
    expect(state).toEqual({ status: 'stood-down', workOrderIds: ['wo-1', 'wo-2'], opened: false, stoodDownAt: '2026-03-01T09:00:00.000Z' });
  });

  it('knows the orders given before the stream began first (in log order), then those it took before it was opened, each once', () => {
    const state = [taken('wo-3'), taken('wo-1'), opened(['wo-1', 'wo-2', 'wo-1'], '2026-03-02T08:00:00.000Z'), taken('wo-4')].reduce(engineerDutyDecider.evolve, engineerDutyDecider.initialState);
    expect(state).toEqual({ status: 'on-duty', workOrderIds: ['wo-1', 'wo-2', 'wo-3', 'wo-4'], opened: true });
  });

  it('has one stream per engineer as the directory tells them apart (case and width aside)', () => {
    expect([engineerDutyStreamName('Eng-Wang'), engineerDutyStreamName('ｅｎｇ－ｗａｎｇ')]).toEqual(['engineer-duty-eng-wang', 'engineer-duty-eng-wang']);
  });
});
