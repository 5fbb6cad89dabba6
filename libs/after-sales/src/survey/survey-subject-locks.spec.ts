import { SqliteReadStore } from '@app/read-store';
import { SurveySubjectLocks } from './survey-subject-locks';

/** Two API instances on one store: each has its own locks object, and they share only the read store. */
describe('SurveySubjectLocks across instances', () => {
  const subject = { kind: 'work-order', id: 'WO-1' };

  async function overlaps(first: SurveySubjectLocks, second: SurveySubjectLocks): Promise<boolean> {
    let inside = 0;
    let overlapped = false;
    const work = async () => {
      inside += 1;
      if (inside > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 40));
      inside -= 1;
    };
    await Promise.all([first.inTurn(subject, work), second.inTurn(subject, work), first.inTurn(subject, work), second.inTurn(subject, work)]);
    return overlapped;
  }

  it('given two instances sharing the read store, when both send a survey for one work order at once, then the sends take turns', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    expect(await overlaps(new SurveySubjectLocks(store), new SurveySubjectLocks(store))).toBe(false);
    await store.close();
  });

  it('given two instances sharing the read store, when they send for two different work orders, then neither waits for the other', async () => {
    const store = new SqliteReadStore({ filename: ':memory:' });
    const [first, second] = [new SurveySubjectLocks(store), new SurveySubjectLocks(store)];
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inside -= 1;
    };
    await Promise.all([first.inTurn({ kind: 'work-order', id: 'WO-1' }, work), second.inTurn({ kind: 'work-order', id: 'WO-2' }, work)]);
    expect(most).toBe(2);
    await store.close();
  });

  it('given no leases (a handler built by hand), the turn holds within the one instance', async () => {
    const locks = new SurveySubjectLocks();
    expect(await overlaps(locks, locks)).toBe(false);
  });
});
