import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALWAYS_ON_CALENDAR } from './business-calendar';
import { decide } from './complaint.decide';
import { complaintDescription, noteText, type ComplaintNoteAdded, type ComplaintReceived } from './complaint.events';
import { fold } from './complaint.evolve';
import { COMPLAINT_EVENT_SCHEMA_VERSIONS, upcastComplaintEvent } from './complaint.upcasters';
import { SLA_MONITOR } from './principal';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/complaint-received.v1.json'), 'utf8')) as {
  type: string; data: Record<string, unknown>; metadata: Record<string, unknown>;
};

describe('event versioning', () => {
  it('writes ComplaintReceived as schema v3 and ComplaintNoteAdded as schema v2 (a personal part, issue 19)', () => {
    expect(COMPLAINT_EVENT_SCHEMA_VERSIONS.ComplaintReceived).toBe(3);
    expect(COMPLAINT_EVENT_SCHEMA_VERSIONS.ComplaintNoteAdded).toBe(2);
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
    const current = { ...fixture.data, sla: { ...(fixture.data['sla'] as object), calendar: ALWAYS_ON_CALENDAR }, personal: null };
    expect(upcastComplaintEvent('ComplaintReceived', current, () => 3).data).toBe(current);
    const data = { complaintId: 'x', validatedAt: 't', by: SLA_MONITOR, reason: 'r', evidence: null };
    expect(upcastComplaintEvent('ComplaintValidated', data, () => { throw new Error('not needed'); }).data).toBe(data);
  });

  describe('a personal part for free text the caller marks personal (issue 19)', () => {
    const stored = (name: string) => JSON.parse(readFileSync(join(__dirname, `../../../test/fixtures/${name}`), 'utf8')) as typeof fixture;
    const receivedV2 = stored('complaint-received.v2.json');
    const noteV1 = stored('complaint-note-added.v1.json');

    it('upcasts a stored v2 ComplaintReceived to one without a personal part, its description in plain text as it was', () => {
      const event = upcastComplaintEvent(receivedV2.type, receivedV2.data, () => receivedV2.metadata['schemaVersion']);
      expect(event).toEqual({ type: 'ComplaintReceived', data: { ...receivedV2.data, personal: null } });
      expect(complaintDescription(event.data as ComplaintReceived['data'])).toBe('加油机显示40升，但油箱只加进了约35升。');
    });

    it('upcasts a v1 ComplaintReceived through v2 to v3', () => {
      expect(upcastComplaintEvent(fixture.type, fixture.data, () => 1).data).toMatchObject({ sla: { calendar: ALWAYS_ON_CALENDAR }, personal: null, description: fixture.data['description'] });
    });

    it('upcasts a stored v1 ComplaintNoteAdded to one without a personal part, its text in plain text as it was', () => {
      const event = upcastComplaintEvent(noteV1.type, noteV1.data, () => noteV1.metadata['schemaVersion']);
      expect(event).toEqual({ type: 'ComplaintNoteAdded', data: { ...noteV1.data, personal: null } });
      expect(noteText(event.data as ComplaintNoteAdded['data'])).toBe('您好，我们正在核实计量记录，明天上午给您答复。');
    });

    it('takes data that already holds a personal part as current (a copy that lost its schema version)', () => {
      const marked = { ...noteV1.data, text: null, personal: { text: '王女士说她丈夫在 3 号机加油' } };
      expect(upcastComplaintEvent('ComplaintNoteAdded', marked, () => undefined).data).toBe(marked);
    });

    it('folds a v2 receipt and a v1 note with their text readable, not marked personal', () => {
      const state = fold([upcastComplaintEvent(receivedV2.type, receivedV2.data, () => 2), upcastComplaintEvent(noteV1.type, noteV1.data, () => 1)]);
      expect(state).toMatchObject({ status: 'received', description: '加油机显示40升，但油箱只加进了约35升。', descriptionIsPersonal: false });
    });
  });
});
