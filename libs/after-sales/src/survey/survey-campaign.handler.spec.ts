import { SystemClock } from '@app/complaints';
import { SqliteEventStore } from '@app/event-store';
import { RunSurveyCampaignCommand, RunSurveyCampaignHandler, SurveyCampaignCommandExecutor, SurveyCampaignRepository } from './survey-campaign.handler';
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
      const handler = new RunSurveyCampaignHandler(new SurveyCampaignExecutorFor(store, repository), repository, send, new SurveySettings('P30D', 10));

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
});

/** The real executor over the in-memory store. */
class SurveyCampaignExecutorFor extends SurveyCampaignCommandExecutor {
  constructor(store: SqliteEventStore, repository: SurveyCampaignRepository) {
    super(store, repository, new SystemClock());
  }
}
