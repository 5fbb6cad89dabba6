import { ServiceNetworkRepository } from '@app/after-sales';
import { EventStore } from '@app/event-store';
import { DANDONG_UNITS } from './support/dandong-units';
import { holdAppend as holdAppendOf } from './support/hold-append';
import { newComplaint, newWorkOrder, useApp, type TestResponse } from './support/test-app';

/**
 * A complaint given to a person of the directory, and that person's deactivation, at one moment
 * (docs/adr/0012): the hook runs the deactivation between the complaint command's directory check and
 * its append. An assignment to an engineer is fenced by the engineer's duty stream as one to an agent
 * is by the agent's; an agent's note is not fenced, and its trail tells when it was decided and stored.
 */
describe('a complaint given to someone, and their deactivation, at one moment', () => {
  const app = useApp();
  let people = 0;

  beforeAll(async () => {
    for (const body of DANDONG_UNITS) expect((await app().request('POST', '/service-network/units', { role: 'admin', body })).status).toBe(201);
  });

  const holdAppend = (streamPrefix: string, between: () => Promise<TestResponse>) => holdAppendOf(app().get(EventStore), streamPrefix, between);
  const created = async (method: string, path: string, body: unknown, role: 'admin' | 'agent' | 'supervisor' = 'admin', status = 201): Promise<TestResponse> => {
    const answer = await app().request(method, path, { role, body });
    expect({ path, status: answer.status, problem: answer.status >= 300 ? answer.body : undefined }).toEqual({ path, status, problem: undefined });
    return answer;
  };
  /** A validated complaint. */
  const validated = async (): Promise<string> => {
    const id = (await created('POST', '/complaints', newComplaint, 'agent')).body.id as string;
    await created('POST', `/complaints/${id}/validate`, { reason: 'checked' }, 'supervisor', 200);
    return id;
  };

  it('an assignment to an engineer, decided while the engineer\'s deactivation is sent, lands wholly before the deactivation (its duty stream orders them)', async () => {
    const engineerId = `eng-assignee-${(people += 1)}`;
    await created('POST', '/service-network/engineers', { engineerId, name: `投诉工程师${people}`, station: 'dandong-station', skills: ['pump'], reason: 'hired' });
    const id = await validated();
    const hold = holdAppend('complaint-', () => app().request('POST', `/service-network/engineers/${engineerId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } }));
    let assigned: TestResponse;
    let left: TestResponse | undefined;
    try {
      assigned = await app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'dandong-station', assignee: engineerId } });
      left = await hold.other;
    } finally {
      hold.release();
    }
    // Without the fence the deactivation was stored while the assignment waited, and the assignment after it (200 all the same).
    const store = app().get(EventStore);
    const assignedAt = (await store.readStream(`complaint-${id}`)).find((event) => event.type === 'ComplaintAssigned')?.position;
    const deactivatedAt = (await store.readStream('service-network')).find((event) => event.type === 'EngineerDeactivated' && event.data['engineerId'] === engineerId)?.position;
    expect({ assignment: assigned.status, deactivation: left?.status, assignedFirst: assignedAt !== undefined && deactivatedAt !== undefined && assignedAt < deactivatedAt })
      .toEqual({ assignment: 200, deactivation: 200, assignedFirst: true });
  });

  it('an assignment to an engineer stored before the deactivation lands, fenced on the engineer\'s duty stream, and is not listed among the orders to redispatch', async () => {
    const engineerId = `eng-assignee-${(people += 1)}`;
    await created('POST', '/service-network/engineers', { engineerId, name: `投诉工程师${people}`, station: 'dandong-station', skills: ['pump'], reason: 'hired' });
    const id = await validated();
    await created('POST', `/complaints/${id}/assign`, { department: 'dandong-station', assignee: engineerId }, 'supervisor', 200);
    const left = await created('POST', `/service-network/engineers/${engineerId}/deactivate`, { reason: 'left' }, 'supervisor', 200);
    expect(left.body.openWorkOrders).toEqual([]);
    const duty = await app().get(EventStore).readStream(`engineer-duty-${engineerId}`);
    expect(duty.map((event) => [event.type, event.data['complaintId'] ?? null])).toEqual([['EngineerDutyOpened', null], ['EngineerComplaintTaken', id], ['EngineerStoodDown', null]]);
  });

  it('an agent\'s note decided while the agent was active is stored after their deactivation, and its trail says so: decided before it, recorded after it (docs/adr/0012)', async () => {
    const agentId = `agent-note-${(people += 1)}`;
    await created('POST', '/service-network/agents', { agentId, name: `写备注坐席${people}`, units: ['cs-centre'], reason: 'hired' });
    const token = (await created('POST', '/access/tokens', { principalId: agentId, role: 'agent', departments: ['cs-centre'], reason: 'agent of cs-centre' })).body.token as string;
    const id = await validated();
    await created('POST', `/complaints/${id}/assign`, { department: 'cs-centre', assignee: agentId }, 'supervisor', 200);
    const hold = holdAppend('complaint-', () => app().request('POST', `/service-network/agents/${agentId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } }));
    let noted: TestResponse;
    let left: TestResponse | undefined;
    try {
      noted = await app().request('POST', `/complaints/${id}/notes`, { token, body: { visibility: 'internal', text: '已电话联系客户，约定明天上门。' } });
      left = await hold.other;
    } finally {
      hold.release();
    }
    expect({ note: noted.status, deactivation: left?.status }).toEqual({ note: 200, deactivation: 200 });
    const deactivation = (await app().get(EventStore).readStream('service-network')).find((event) => event.type === 'AgentDeactivated' && event.data['agentId'] === agentId)!;
    const trail = await app().request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
    const note = (trail.body.entries as Array<{ type: string; position: number; occurredAt: string; recordedAt: string }>).find((entry) => entry.type === 'ComplaintNoteAdded')!;
    expect({
      decidedBefore: note.occurredAt < (deactivation.metadata['occurredAt'] as string),
      storedAfter: note.position > deactivation.position && note.recordedAt >= deactivation.recordedAt,
    }).toEqual({ decidedBefore: true, storedAfter: true });
    // Their next note is refused: only the one in flight was theirs to finish.
    const next = await app().request('POST', `/complaints/${id}/notes`, { token, body: { visibility: 'internal', text: '再补充一句。' } });
    expect({ status: next.status, code: next.body.code }).toEqual({ status: 403, code: 'agent-deactivated' });
  });

  it('a work order\'s escalation to a named agent, decided while the agent\'s deactivation is sent, lands wholly before the deactivation (the agent\'s duty stream orders them), as a complaint\'s does', async () => {
    const agentId = `agent-escalation-${(people += 1)}`;
    await created('POST', '/service-network/agents', { agentId, name: `升级坐席${people}`, units: ['cs-centre'], reason: 'hired' });
    const id = (await created('POST', '/work-orders', { ...newWorkOrder, customerId: `cust-wo-escalation-${people}` }, 'agent')).body.id as string;
    const hold = holdAppend('work-order-', () => app().request('POST', `/service-network/agents/${agentId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } }));
    let escalated: TestResponse;
    let left: TestResponse | undefined;
    try {
      escalated = await app().request('POST', `/work-orders/${id}/escalate`, { role: 'supervisor', body: { to: agentId, reason: '超出服务站权限' } });
      left = await hold.other;
    } finally {
      hold.release();
    }
    // Without the fence the deactivation was stored while the escalation waited, and the order escalated after it to an agent no longer active (200 all the same).
    const store = app().get(EventStore);
    const escalatedAt = (await store.readStream(`work-order-${id}`)).find((event) => event.type === 'WorkOrderEscalated')?.position;
    const deactivatedAt = (await store.readStream('service-network')).find((event) => event.type === 'AgentDeactivated' && event.data['agentId'] === agentId)?.position;
    expect({ escalation: escalated.status, deactivation: left?.status, escalatedFirst: escalatedAt !== undefined && deactivatedAt !== undefined && escalatedAt < deactivatedAt })
      .toEqual({ escalation: 200, deactivation: 200, escalatedFirst: true });
    const duty = await store.readStream(`agent-duty-${agentId}`);
    expect(duty.map((event) => [event.type, event.data['workOrderId'] ?? null])).toEqual([['AgentWorkOrderTaken', id], ['AgentStoodDown', null]]);
    // Once deactivated, the agent is no target: the ordinary refusal (the agent exists, deactivated), nothing written.
    const again = await app().request('POST', `/work-orders/${id}/escalate`, { role: 'supervisor', body: { to: agentId, reason: '再次升级' } });
    expect([again.status, again.body.code]).toEqual([400, 'agent-inactive']);
  });

  /** The deactivation of `agentId` as stored: its time, as the refusals name it. */
  const deactivatedAt = async (agentId: string): Promise<string> =>
    (await app().get(EventStore).readStream('service-network')).find((event) => event.type === 'AgentDeactivated' && event.data['agentId'] === agentId)!.data['deactivatedAt'] as string;
  /** An agent of cs-centre, added and deactivated. */
  const deactivatedAgent = async (): Promise<{ agentId: string; name: string }> => {
    const agentId = `agent-gone-${(people += 1)}`;
    const name = `已停用坐席${people}`;
    await created('POST', '/service-network/agents', { agentId, name, units: ['cs-centre'], reason: 'hired' });
    await created('POST', `/service-network/agents/${agentId}/deactivate`, { reason: 'left' }, 'supervisor', 200);
    return { agentId, name };
  };
  /** The refusal of an escalation to a deactivated agent: says so, since when, and what to do instead (not "no unit or agent called …"). */
  const expectInactiveTarget = async (refused: TestResponse, agentId: string, name: string) => {
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'agent-inactive', errors: [{ field: 'to' }] });
    const detail = refused.body.detail as string;
    expect(detail).toContain(`${agentId} (${name}) was deactivated at ${await deactivatedAt(agentId)}`);
    expect(detail).toContain('Escalate to an active agent or to a unit');
    expect(detail).not.toContain('No unit or agent called');
  };

  it('an escalation of a complaint to an agent since deactivated, by id or by name, is refused as that (400 agent-inactive: since when, and where to escalate instead), nothing written', async () => {
    const { agentId, name } = await deactivatedAgent();
    const handler = `agent-handler-${(people += 1)}`;
    await created('POST', '/service-network/agents', { agentId: handler, name: `处理坐席${people}`, units: ['cs-centre'], reason: 'hired' });
    const id = await validated();
    await created('POST', `/complaints/${id}/assign`, { department: 'cs-centre', assignee: handler }, 'supervisor', 200);
    const before = (await app().get(EventStore).readStream(`complaint-${id}`)).length;
    for (const to of [agentId, name]) await expectInactiveTarget(await app().request('POST', `/complaints/${id}/escalate`, { role: 'supervisor', body: { to, reason: '超出权限' } }), agentId, name);
    expect((await app().get(EventStore).readStream(`complaint-${id}`)).length).toBe(before);
    expect((await app().request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'assigned' });
  });

  it('an escalation of a work order to an agent since deactivated, by id or by name, is refused as that (400 agent-inactive: since when, and where to escalate instead), nothing written', async () => {
    const { agentId, name } = await deactivatedAgent();
    const id = (await created('POST', '/work-orders', { ...newWorkOrder, customerId: `cust-wo-gone-${people}` }, 'agent')).body.id as string;
    const before = (await app().get(EventStore).readStream(`work-order-${id}`)).length;
    for (const to of [agentId, name]) await expectInactiveTarget(await app().request('POST', `/work-orders/${id}/escalate`, { role: 'supervisor', body: { to, reason: '超出服务站权限' } }), agentId, name);
    expect((await app().get(EventStore).readStream(`work-order-${id}`)).length).toBe(before);
  });

  it('a work order\'s escalation checked against the directory just before the agent\'s deactivation is stored is refused by the agent\'s duty stream (the fence\'s refusal: 400 agent-inactive), nothing written', async () => {
    const agentId = `agent-fenced-${(people += 1)}`;
    const name = `围栏坐席${people}`;
    await created('POST', '/service-network/agents', { agentId, name, units: ['cs-centre'], reason: 'hired' });
    const id = (await created('POST', '/work-orders', { ...newWorkOrder, customerId: `cust-wo-fenced-${people}` }, 'agent')).body.id as string;
    // The escalation's directory check reads the agent as active; the deactivation is stored right after that read, before the
    // escalation takes its streams' turns (as another API instance's would be), so only the duty stream stands between them.
    const network = app().get(ServiceNetworkRepository);
    let left: TestResponse | undefined;
    network.current = async () => {
      delete (network as Partial<ServiceNetworkRepository>).current;
      const asChecked = await network.current();
      left = await app().request('POST', `/service-network/agents/${agentId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } });
      return asChecked;
    };
    let escalated: TestResponse;
    try {
      escalated = await app().request('POST', `/work-orders/${id}/escalate`, { role: 'supervisor', body: { to: agentId, reason: '超出服务站权限' } });
    } finally {
      delete (network as Partial<ServiceNetworkRepository>).current;
    }
    // Without the fence the order was escalated to the agent already deactivated (200).
    expect({ deactivation: left?.status, escalation: escalated.status, code: escalated.body.code }).toEqual({ deactivation: 200, escalation: 400, code: 'agent-inactive' });
    await expectInactiveTarget(escalated, agentId, name);
    const store = app().get(EventStore);
    expect((await store.readStream(`work-order-${id}`)).map((event) => event.type)).not.toContain('WorkOrderEscalated');
    expect((await store.readStream(`agent-duty-${agentId}`)).map((event) => event.type)).toEqual(['AgentStoodDown']);
  });
});
