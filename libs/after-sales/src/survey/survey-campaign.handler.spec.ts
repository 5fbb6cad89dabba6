import { SystemClock, eventsAfter } from '@app/complaints';
import { customerFileStreamName } from '@app/domain';
import { erased, mergedInto, opened } from '@app/domain/customer/testing/customer-file.fixtures';
import { SqliteEventStore } from '@app/event-store';
import { RunSurveyCampaignCommand, RunSurveyCampaignHandler, SurveyCampaignCommandExecutor, SurveyCampaignCompletion, SurveyCampaignRepository } from './survey-campaign.handler';
import { SendSatisfactionSurveyCommand, SurveySettings, type SendSatisfactionSurveyHandler } from './survey.handlers';

describe('running a survey campaign (RunSurveyCampaignHandler)', () => {
  const context = {
    commandId: '5f0c2a7e-3b1d-4e8a-9c6f-1a2b3c4d5e6f', correlationId: 'campaign-retry', causationId: '5f0c2a7e-3b1d-4e8a-9c6f-1a2b3c4d5e6f',
    actor: { id: 'sup-1', role: 'supervisor' as const },
  };
  const request = { segments: { driverType: 'taxi' }, channel: 'phone' as const, reason: '出租车客户季度回访' };
  const selection = (...customers: string[]) => customers.map((customerId) => ({ customerId, complaintId: `complaint-of-${customerId}` }));

  it('given a run cut short after its record, when it is retried with the same command, then it surveys the customers it recorded, not a new selection', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const repository = new SurveyCampaignRepository(store);
      const surveyed: string[] = [];
      let crashAfter: number | undefined = 1;
      const send = {
        execute: async (command: SendSatisfactionSurveyCommand) => {
          if (crashAfter !== undefined && surveyed.length >= crashAfter) throw new Error('the process died');
          surveyed.push(command.data.subject.id);
          return { id: command.data.subject.id, revision: 0, position: 1 };
        },
      } as unknown as SendSatisfactionSurveyHandler;
      const executor = new SurveyCampaignExecutorFor(store, repository);
      const handler = new RunSurveyCampaignHandler(executor, new SurveyCampaignCompletion(executor, repository, send, store), new SurveySettings('P30D', 10));

      await expect(handler.execute(new RunSurveyCampaignCommand(request, selection('cust-a', 'cust-b'), context))).rejects.toThrow('the process died');
      expect(surveyed).toEqual(['complaint-of-cust-a']);

      // Meanwhile cust-b left the segment and cust-c joined it: the retry still goes to what was recorded.
      crashAfter = undefined;
      const outcome = await handler.execute(new RunSurveyCampaignCommand(request, selection('cust-a', 'cust-c'), context));
      expect(surveyed).toEqual(['complaint-of-cust-a', 'complaint-of-cust-a', 'complaint-of-cust-b']);
      expect(outcome).toMatchObject({ matched: 2, sent: 2 });
    } finally {
      await store.close();
    }
  });

  /**
   * A send as the real one behaves: a survey per subject opens once; a send whose command id already
   * opened one (a retry) answers with it. `dieAfter`: the process dies after this many sends in all.
   */
  function surveysOf(dieAfter?: number) {
    const opened = new Map<string, string[]>();
    let sends = 0;
    const send = {
      execute: async (command: SendSatisfactionSurveyCommand) => {
        if (dieAfter !== undefined && sends >= dieAfter) throw new Error('kill -9');
        sends += 1;
        const subject = command.data.subject.id;
        const ids = opened.get(subject) ?? [];
        if (!ids.includes(command.context.commandId)) ids.push(command.context.commandId);
        opened.set(subject, ids);
        return { id: subject, revision: 0, position: 1 };
      },
    } as unknown as SendSatisfactionSurveyHandler;
    return { send, opened, revive: () => { dieAfter = undefined; } };
  }

  it('given a campaign run without an Idempotency-Key and killed part-way, when the completion runs at start, then the rest is sent, each subject once, and the campaign is recorded completed', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const repository = new SurveyCampaignRepository(store);
      const executor = new SurveyCampaignExecutorFor(store, repository);
      const surveys = surveysOf(2);
      const completion = new SurveyCampaignCompletion(executor, repository, surveys.send, store);
      const handler = new RunSurveyCampaignHandler(executor, completion, new SurveySettings('P30D', 10));
      const chosen = [...selection('cust-a', 'cust-b', 'cust-c', 'cust-d'), { customerId: 'cust-e', complaintId: null }];
      await expect(handler.execute(new RunSurveyCampaignCommand(request, chosen, context))).rejects.toThrow('kill -9');
      expect([...surveys.opened.keys()]).toEqual(['complaint-of-cust-a', 'complaint-of-cust-b']);

      // The API starts again: the campaign is found unfinished and completed, before anything serves;
      // a start from a checkpoint at or past the campaign's record does not read it.
      surveys.revive();
      const [recorded] = (await collect(store)).filter((event) => event.type === 'SurveyCampaignRun');
      expect(await completion.completeAll(recorded!.position)).toEqual({ campaigns: 0, sent: 0, withoutChannel: 0, position: recorded!.position });
      expect([...surveys.opened.keys()]).toHaveLength(2);
      expect(await completion.completeAll()).toEqual({ campaigns: 1, sent: 4, withoutChannel: 0, position: recorded!.position });
      expect([...surveys.opened.entries()]).toEqual(['a', 'b', 'c', 'd'].map((customer) => [`complaint-of-cust-${customer}`, [expect.any(String)]]));
      const [run] = (await collect(store)).filter((event) => event.type === 'SurveyCampaignRun');
      const { state } = await repository.load(String(run!.data['campaignId']));
      expect(state).toMatchObject({ status: 'completed', completion: { sent: 4, skipped: { 'no-subject': 1 } } });

      // Completing again (the next start, a retry) sends nothing and records nothing.
      const before = (await collect(store)).length;
      expect(await completion.completeAll()).toEqual({ campaigns: 0, sent: 0, withoutChannel: 0, position: recorded!.position });
      expect(await completion.complete(String(run!.data['campaignId']))).toMatchObject({ matched: 5, sent: 4, skipped: { 'no-subject': 1 }, revision: 1 });
      expect((await collect(store)).length).toBe(before);
      expect([...surveys.opened.values()].every((ids) => ids.length === 1)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('given files merged after the selection, when the campaign sends, then each survey goes to the surviving customer, once per survivor, and the rest are skipped as merged', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const repository = new SurveyCampaignRepository(store);
      const executor = new SurveyCampaignExecutorFor(store, repository);
      const sent: Array<{ complaint: string; customer: string | undefined }> = [];
      const send = {
        execute: async (command: SendSatisfactionSurveyCommand) => {
          sent.push({ complaint: command.data.subject.id, customer: command.data.customerId });
          return { id: command.data.subject.id, revision: 0, position: 1 };
        },
      } as unknown as SendSatisfactionSurveyHandler;
      // cust-b was merged into cust-a, and cust-c into cust-d (which the campaign did not select), after the selection.
      let n = 0;
      for (const [file, survivor] of [['cust-b', 'cust-a'], ['cust-c', 'cust-d']] as const) {
        await store.append(customerFileStreamName(file), [opened, mergedInto(survivor)].map((event) => ({ eventId: `00000000-0000-4000-8000-00000000000${(n += 1)}`, type: event.type, data: { ...event.data, customerId: file }, metadata: {} })));
      }
      const handler = new RunSurveyCampaignHandler(executor, new SurveyCampaignCompletion(executor, repository, send, store), new SurveySettings('P30D', 10));
      const outcome = await handler.execute(new RunSurveyCampaignCommand(request, selection('cust-a', 'cust-b', 'cust-c'), context));
      expect(sent).toEqual([{ complaint: 'complaint-of-cust-a', customer: 'cust-a' }, { complaint: 'complaint-of-cust-c', customer: 'cust-d' }]);
      expect(outcome).toMatchObject({ matched: 3, sent: 2, skipped: { merged: 1 } });
    } finally {
      await store.close();
    }
  });

  it('given files erased after the selection (or merged into one erased since), when the campaign sends, then they get no survey and are skipped as erased', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const repository = new SurveyCampaignRepository(store);
      const executor = new SurveyCampaignExecutorFor(store, repository);
      const sent: string[] = [];
      const send = {
        execute: async (command: SendSatisfactionSurveyCommand) => {
          sent.push(command.data.subject.id);
          return { id: command.data.subject.id, revision: 0, position: 1 };
        },
      } as unknown as SendSatisfactionSurveyHandler;
      // cust-b was erased, and cust-c merged into cust-d which was erased, after the selection; cust-a stands.
      let n = 0;
      for (const [file, events] of [['cust-a', [opened]], ['cust-b', [opened, erased]], ['cust-c', [opened, mergedInto('cust-d')]], ['cust-d', [opened, erased]]] as const) {
        await store.append(customerFileStreamName(file), events.map((event) => ({ eventId: `00000000-0000-4000-8000-0000000000${String((n += 1)).padStart(2, '0')}`, type: event.type, data: { ...event.data, customerId: file }, metadata: {} })));
      }
      const handler = new RunSurveyCampaignHandler(executor, new SurveyCampaignCompletion(executor, repository, send, store), new SurveySettings('P30D', 10));
      const outcome = await handler.execute(new RunSurveyCampaignCommand(request, selection('cust-a', 'cust-b', 'cust-c'), context));
      expect(sent).toEqual(['complaint-of-cust-a']);
      expect(outcome).toMatchObject({ matched: 3, sent: 1, skipped: { erased: 2 } });
    } finally {
      await store.close();
    }
  });
});

async function collect(store: SqliteEventStore) {
  const events = [];
  for await (const event of eventsAfter(store, 0)) events.push(event);
  return events;
}

/** The real executor over the in-memory store. */
class SurveyCampaignExecutorFor extends SurveyCampaignCommandExecutor {
  constructor(store: SqliteEventStore, repository: SurveyCampaignRepository) {
    super(store, repository, new SystemClock());
  }
}
