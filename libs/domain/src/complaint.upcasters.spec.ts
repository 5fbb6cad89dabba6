import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALWAYS_ON_CALENDAR } from './business-calendar';
import { decide } from './complaint.decide';
import { fold } from './complaint.evolve';
import { COMPLAINT_EVENT_SCHEMA_VERSIONS, upcastComplaintEvent } from './complaint.upcasters';
import { SLA_MONITOR } from './principal';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/complaint-received.v1.json'), 'utf8')) as {
  type: string; data: Record<string, unknown>; metadata: Record<string, unknown>;
};

describe('event versioning', () => {
  it('writes ComplaintReceived as schema v2', () => {
    expect(COMPLAINT_EVENT_SCHEMA_VERSIONS.ComplaintReceived).toBe(2);
  });

  it('upcasts a stored v1 ComplaintReceived: the calendar id becomes the whole calendar', () => {
    const event = upcastComplaintEvent(fixture.type, fixture.data, () => fixture.metadata['schemaVersion']);
    expect(event.type).toBe('ComplaintReceived');
    if (event.type !== 'ComplaintReceived') return;
    expect(event.data.sla.calendar).toEqual(ALWAYS_ON_CALENDAR);
    expect(event.data.sla.firstReplyDue).toBe('2026-11-22T23:29:00.740Z');
    expect((fixture.data['sla'] as { calendar: unknown }).calendar).toBe('24x7');
  });

  it('lets the domain decide on v1 history: deadlines after the resolution follow the upcast calendar', () => {
    const state = fold([upcastComplaintEvent(fixture.type, fixture.data, () => 1)]);
    expect(state.status).toBe('received');
    const [breach] = decide({ type: 'RecordSlaBreach', complaintId: String(fixture.data['complaintId']), at: '2026-11-23T00:00:00.000Z', actor: SLA_MONITOR, data: { clock: 'first-reply' } }, state);
    expect(breach).toMatchObject({ type: 'SlaBreached', data: { deadline: '2026-11-22T23:29:00.740Z' } });
  });

  it('leaves current events alone and does not read the version of single-version types', () => {
    const current = { ...fixture.data, sla: { ...(fixture.data['sla'] as object), calendar: ALWAYS_ON_CALENDAR } };
    expect(upcastComplaintEvent('ComplaintReceived', current, () => 2).data).toBe(current);
    const data = { complaintId: 'x', validatedAt: 't', by: SLA_MONITOR, reason: 'r', evidence: null };
    expect(upcastComplaintEvent('ComplaintValidated', data, () => { throw new Error('not needed'); }).data).toBe(data);
  });
});
