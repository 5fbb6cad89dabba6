import { DEFAULT_SLA_POLICY } from '@app/domain';
import { newComplaint, useApp } from './support/test-app';

/**
 * The SLA monitor warns before a deadline (SlaAtRisk, SLA_WARN_BEFORE ahead of it) and records the
 * breach after it: both are events of the complaint, in its audit trail and on the change feed.
 */
describe('SLA warnings before a deadline', () => {
  // First reply within 3 s, warned 2 s ahead; the monitor looks every 100 ms.
  const app = useApp(undefined, {
    slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'at-risk-test', firstReply: 'PT3S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} },
    slaMonitorIntervalMs: 100,
    slaWarnBefore: { 'first-reply': 'PT2S' },
  });

  const typesOf = async (id: string): Promise<string[]> => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events.map((event: { type: string }) => event.type);
  const until = async (id: string, type: string) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await typesOf(id)).includes(type)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${type} within 10 s`);
  };

  it('warns once before the first-reply deadline, then records the breach, each an event with its words in the trail', async () => {
    const { id } = (await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, severity: 'medium' } })).body;
    await until(id, 'SlaBreached');
    expect(await typesOf(id)).toEqual(['ComplaintReceived', 'SlaAtRisk', 'SlaBreached']);
    const events = (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events;
    expect(events[1]).toMatchObject({ data: { clock: 'first-reply', leadTime: 'PT2S', deadline: events[0].data.sla.firstReplyDue }, metadata: { actor: { id: 'system:sla-monitor', role: 'system' } } });
    expect(Date.parse(events[1].data.warnedAt)).toBeLessThan(Date.parse(events[1].data.deadline));
    const view = await app().request('GET', `/complaints/${id}`, { role: 'supervisor' });
    expect(view.body).toMatchObject({ warnings: ['first-reply'], breaches: ['first-reply'] });
    const trail = await app().request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
    expect(trail.body.entries.map((entry: { decision: { en: string } }) => entry.decision.en)).toEqual([
      expect.any(String), expect.stringContaining('deadline is near'), expect.stringContaining('Missed the'),
    ]);
  });

  it('does not warn about a clock whose step came in time', async () => {
    const { id } = (await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, severity: 'medium' } })).body;
    await app().request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: { statement: '非常抱歉', channel: 'phone' } });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await typesOf(id)).toEqual(['ComplaintReceived', 'ComplaintApologised']);
  });
});
