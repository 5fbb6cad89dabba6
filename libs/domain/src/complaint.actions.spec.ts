import { COMPLAINT_ACTIONS, complaintActionRefusal, type ComplaintAction } from './complaint.actions';
import type { ComplaintEvent } from './complaint.events';
import { fold } from './complaint.evolve';
import type { ExistingComplaint } from './complaint.state';
import {
  assigned, at, calledBackSatisfied, complaintId, calledBackUnsatisfied, received, rejected, resolvedAccepted, resolvedRefused, supervisor, validated,
} from './testing/complaint.fixtures';

const allowedAfter = (events: ComplaintEvent[]): ComplaintAction[] => {
  const state = fold(events) as ExistingComplaint;
  return COMPLAINT_ACTIONS.filter((action) => complaintActionRefusal(action, state, at(500), supervisor) === null);
};

describe('the actions a complaint allows, asked of decide', () => {
  it('a received complaint may be apologised for, judged either way and escalated', () => {
    expect(allowedAfter([received])).toEqual(['apologise', 'validate', 'reject', 'escalate', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
  });

  it('a validated one may be assigned; an assigned one reassigned and resolved', () => {
    expect(allowedAfter([received, validated])).toEqual(['apologise', 'assign', 'escalate', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
    expect(allowedAfter([received, validated, assigned])).toEqual(['apologise', 'assign', 'escalate', 'resolve', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
  });

  it('a resolution the customer accepted is called back; a refused one must be escalated first', () => {
    expect(allowedAfter([received, validated, assigned, resolvedAccepted])).toEqual(['apologise', 'escalate', 'callback', 'reopen', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
    const refused = fold([received, validated, assigned, resolvedRefused]) as ExistingComplaint;
    expect(complaintActionRefusal('callback', refused, at(500), supervisor)).toEqual({
      code: 'resolution-refused-not-escalated', message: expect.stringContaining('escalate the complaint before closing it'),
    });
  });

  it('a closed or rejected complaint only takes an apology, a reopening and the workspace (notes, contact, corrections; attachments only while not closed), and says why the rest is refused', () => {
    expect(allowedAfter([received, validated, assigned, resolvedAccepted, calledBackSatisfied])).toEqual(['apologise', 'reopen', 'notes', 'contact', 'correct', 'tags', 'related']);
    expect(allowedAfter([received, rejected])).toEqual(['apologise', 'reopen', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
    const closed = fold([received, rejected]) as ExistingComplaint;
    expect(complaintActionRefusal('resolve', closed, at(500), supervisor)).toEqual({ code: 'not-assigned', message: 'Only an assigned complaint can be resolved. This complaint is rejected.' });
  });

  it('tags and links are taken in every status; removing a link only once there is one, saying why not before', () => {
    const linked: ComplaintEvent = {
      type: 'ComplaintRelated', data: { complaintId, relatedAt: at(30), by: supervisor, relatedId: '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f', relation: 'related', reason: 'same pump' },
    };
    const unlinked: ComplaintEvent = {
      type: 'ComplaintUnrelated', data: { complaintId, unrelatedAt: at(40), by: supervisor, relatedId: '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f', relation: 'related', reason: 'not the same' },
    };
    const closed = [received, validated, assigned, resolvedAccepted, calledBackSatisfied];
    expect(complaintActionRefusal('unrelate', fold(closed) as ExistingComplaint, at(500), supervisor)).toEqual({
      code: 'not-linked', message: 'This complaint has made no link to another complaint: there is no link of its own to remove.',
    });
    expect(allowedAfter([...closed, linked])).toEqual(['apologise', 'reopen', 'notes', 'contact', 'correct', 'tags', 'related', 'unrelate']);
    expect(allowedAfter([received, linked])).toContain('unrelate');
    expect(allowedAfter([received, linked, unlinked])).not.toContain('unrelate');
  });

  it('an unsatisfied callback leaves escalation and reopening open', () => {
    expect(allowedAfter([received, validated, assigned, resolvedAccepted, calledBackUnsatisfied])).toEqual(['apologise', 'escalate', 'reopen', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
  });

  it('decides with stack traces off (the refusals\' stacks are never read), and puts the limit back after', () => {
    const limits = new Set<number>();
    const state = fold([received, validated, assigned, resolvedAccepted, calledBackSatisfied]) as ExistingComplaint;
    // Every read of the state happens inside decide(): what Error.stackTraceLimit is while it decides.
    const watched = new Proxy(state, { get: (target, key, receiver) => (limits.add(Error.stackTraceLimit), Reflect.get(target, key, receiver)) });
    const before = Error.stackTraceLimit;
    const refusals = COMPLAINT_ACTIONS.map((action) => complaintActionRefusal(action, watched, at(500), supervisor));
    expect([...limits]).toEqual([0]);
    expect(Error.stackTraceLimit).toBe(before);
    expect(refusals).toEqual(COMPLAINT_ACTIONS.map((action) => complaintActionRefusal(action, state, at(500), supervisor)));
    expect(complaintActionRefusal('resolve', state, at(500), supervisor)).toEqual({ code: 'not-assigned', message: 'Only an assigned complaint can be resolved. This complaint is closed.' });
  });

  // Any error but a domain refusal was taken for "allowed" (a LOW): a fault in the decision offered every action.
  it('throws an error that is no domain refusal (a fault of the decision) rather than offer the action', () => {
    const state = fold([received, validated]) as ExistingComplaint;
    const faulty = new Proxy(state, {
      get: (target, key, receiver) => {
        if (key === 'status') throw new TypeError('a fault in the decision');
        return Reflect.get(target, key, receiver);
      },
    });
    const outcomes = COMPLAINT_ACTIONS.map((action) => {
      try {
        return [action, complaintActionRefusal(action, faulty, at(500), supervisor)];
      } catch (error) {
        return [action, (error as Error).name];
      }
    });
    expect(outcomes).toEqual(COMPLAINT_ACTIONS.map((action) => [action, 'TypeError']));
    // A refusal of the data (the placeholders' own) still means the status allows it: the real data decides.
    expect(complaintActionRefusal('tags', state, at(500), supervisor)).toBeNull();
  });
});
