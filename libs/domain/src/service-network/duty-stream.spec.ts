import { deciderSpecification } from '@app/event-sourcing/testing';
import { DomainError } from '../domain-error';
import { AGENT_DUTY, AGENT_DUTY_EVENT_TYPES, agentDutyDecider, type AgentDutyEvent } from './agent-duty';
import { dutyDecider, dutyEventTypes, dutyStreamName, type DutyCommand, type DutyEvent } from './duty-stream';
import { ENGINEER_DUTY, ENGINEER_DUTY_EVENT_TYPES, engineerDutyDecider, type EngineerDutyEvent } from './engineer-duty';

/** A kind made up for these tests: the decider knows no kind but by the words it is given. */
const INSPECTION_DUTY = {
  streamPrefix: 'inspector-duty-', person: 'inspectorId', item: 'siteId', items: 'siteIds',
  take: 'TakeSite', standDown: 'StandDownInspector', taken: 'InspectorSiteTaken', stoodDown: 'InspectorStoodDown',
  opening: { open: 'OpenInspectorDuty', opened: 'InspectorDutyOpened', older: 'olderSites' },
} as const;
class InspectorStoodDownError extends DomainError {
  readonly code = 'inspector-inactive';
  readonly kind = 'invalid' as const;
  constructor(readonly inspectorId: string) {
    super(`Inspector ${inspectorId} is no longer active.`);
  }
}
const inspections = dutyDecider(INSPECTION_DUTY, (inspectorId) => new InspectorStoodDownError(inspectorId));
const spec = deciderSpecification(inspections);
const supervisor = { id: 'sup-zhao', role: 'supervisor' } as const;
const at = '2026-03-01T08:00:00.000Z';
type InspectionCommand = DutyCommand<typeof INSPECTION_DUTY>;
type InspectionEvent = DutyEvent<typeof INSPECTION_DUTY>;
const take = (siteId: string, olderSites?: string[]): InspectionCommand => ({ type: 'TakeSite', data: { inspectorId: 'insp-1', siteId }, at, actor: supervisor, ...(olderSites ? { olderSites } : {}) });
const taken = (siteId: string): InspectionEvent => ({ type: 'InspectorSiteTaken', data: { inspectorId: 'insp-1', siteId, takenAt: at } });
const stoodDown: InspectionEvent = { type: 'InspectorStoodDown', data: { inspectorId: 'insp-1', stoodDownAt: at } };

describe('one duty-stream decider, parametrised by the kind of duty', () => {
  it('decides any kind by its words alone: opened, given, stood down, then refused with the kind\'s own error', () => {
    spec.given([]).when({ type: 'OpenInspectorDuty', data: { inspectorId: 'insp-1' }, at, actor: supervisor }).then([{ type: 'InspectorDutyOpened', data: { inspectorId: 'insp-1', siteIds: [], openedAt: at } }]);
    spec.given([]).when(take('s-2', ['s-1'])).then([{ type: 'InspectorDutyOpened', data: { inspectorId: 'insp-1', siteIds: ['s-1'], openedAt: at } }, taken('s-2')]);
    spec.given([taken('s-1')]).when({ type: 'StandDownInspector', data: { inspectorId: 'insp-1' }, at, actor: supervisor }).then([stoodDown]);
    spec.given([taken('s-1'), stoodDown]).when(take('s-2')).thenThrows(InspectorStoodDownError, (error) => expect(error).toMatchObject({ code: 'inspector-inactive', inspectorId: 'insp-1' }));
  });

  it('keeps each kind\'s stored names: the events an older version wrote read as they were written', () => {
    expect({ engineer: ENGINEER_DUTY_EVENT_TYPES, agent: AGENT_DUTY_EVENT_TYPES, inspector: dutyEventTypes(INSPECTION_DUTY) }).toEqual({
      engineer: ['EngineerDutyOpened', 'EngineerWorkOrderTaken', 'EngineerComplaintTaken', 'EngineerStoodDown'], agent: ['AgentComplaintTaken', 'AgentWorkOrderTaken', 'AgentStoodDown'],
      inspector: ['InspectorDutyOpened', 'InspectorSiteTaken', 'InspectorStoodDown'],
    });
    // Payloads as the log holds them (JSON), folded by the one decider.
    const engineerLog = JSON.parse('[{"type":"EngineerWorkOrderTaken","data":{"engineerId":"eng-wang","workOrderId":"wo-2","takenAt":"2026-03-01T08:00:00.000Z"}},{"type":"EngineerDutyOpened","data":{"engineerId":"eng-wang","workOrderIds":["wo-1"],"openedAt":"2026-03-01T09:00:00.000Z"}},{"type":"EngineerStoodDown","data":{"engineerId":"eng-wang","stoodDownAt":"2026-03-01T10:00:00.000Z"}}]') as EngineerDutyEvent[];
    const agentLog = JSON.parse('[{"type":"AgentComplaintTaken","data":{"agentId":"li.na","complaintId":"c-1","takenAt":"2026-03-01T08:00:00.000Z"}},{"type":"AgentStoodDown","data":{"agentId":"li.na","stoodDownAt":"2026-03-01T10:00:00.000Z"}}]') as AgentDutyEvent[];
    expect(engineerLog.reduce(engineerDutyDecider.evolve, engineerDutyDecider.initialState)).toEqual({ status: 'stood-down', workOrderIds: ['wo-1', 'wo-2'], opened: true, stoodDownAt: '2026-03-01T10:00:00.000Z' });
    expect(agentLog.reduce(agentDutyDecider.evolve, agentDutyDecider.initialState)).toEqual({ status: 'stood-down', complaintIds: ['c-1'], stoodDownAt: '2026-03-01T10:00:00.000Z' });
  });

  it('never opens a duty of a kind without an opening (the agent\'s: a fence only), whatever a command brings', () => {
    const agentSpec = deciderSpecification(agentDutyDecider);
    const agentTake = { type: 'TakeComplaint', data: { agentId: 'li.na', complaintId: 'c-1' }, at, actor: supervisor, olderOrders: ['c-0'] } as const;
    agentSpec.given([]).when(agentTake).then([{ type: 'AgentComplaintTaken', data: { agentId: 'li.na', complaintId: 'c-1', takenAt: at } }]);
    expect(agentDutyDecider.initialState).toEqual({ status: 'on-duty', complaintIds: [] });
  });

  it('folds totally: an event of another kind of duty leaves the state as it was', () => {
    const state = [taken('s-1')].reduce(inspections.evolve, inspections.initialState);
    expect(inspections.evolve(state, { type: 'EngineerStoodDown', data: { engineerId: 'insp-1', stoodDownAt: at } } as unknown as InspectionEvent)).toBe(state);
  });

  it('gives each kind its own stream per person (case and width aside)', () => {
    expect([dutyStreamName(ENGINEER_DUTY, 'Li.Na'), dutyStreamName(AGENT_DUTY, 'ｌｉ.ｎａ'), dutyStreamName(INSPECTION_DUTY, 'li.na')]).toEqual(['engineer-duty-li.na', 'agent-duty-li.na', 'inspector-duty-li.na']);
  });
});
