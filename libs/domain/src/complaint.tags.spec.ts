import { deciderSpecification } from '@app/event-sourcing/testing';
import { complaintDecider } from './complaint.decider';
import { ComplaintNotFoundError, IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ComplaintEvent } from './complaint.events';
import { fold } from './complaint.evolve';
import type { ExistingComplaint } from './complaint.state';
import { complaintTagKey } from './complaint.tags';
import { decisionWords } from './decision-words';
import { agent, assigned, at, calledBackSatisfied, command, complaintId, received, resolvedAccepted, supervisor, validated } from './testing/complaint.fixtures';

const spec = deciderSpecification(complaintDecider);
const ORIGINAL = '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d';
const OTHER = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f';
const tag = (data: { add?: string[]; remove?: string[]; reason?: string }, minutes = 20) => command('TagComplaint', data, minutes, agent);
const tagged = (added: string[], removed: string[], tags: string[], minutes = 20, reason: string | null = null): ComplaintEvent => ({
  type: 'ComplaintTagged', data: { complaintId, taggedAt: at(minutes), by: agent, added, removed, tags, reason },
});
const relate = (relatedId: string, relation: 'duplicate-of' | 'related', target: { duplicateOf: string | null } | null = { duplicateOf: null }, minutes = 30) =>
  command('RelateComplaint', { relatedId, relation, reason: '同一车主同一天两次来电', target }, minutes, supervisor);
const related = (relatedId: string, relation: 'duplicate-of' | 'related', minutes = 30): ComplaintEvent => ({
  type: 'ComplaintRelated', data: { complaintId, relatedAt: at(minutes), by: supervisor, relatedId, relation, reason: '同一车主同一天两次来电' },
});
const unrelate = (relatedId: string, reason = '不是同一次加油', minutes = 50) => command('UnrelateComplaint', { relatedId, reason }, minutes, agent);
const unrelated = (relatedId: string, relation: 'duplicate-of' | 'related', minutes = 50): ComplaintEvent => ({
  type: 'ComplaintUnrelated', data: { complaintId, unrelatedAt: at(minutes), by: agent, relatedId, relation, reason: '不是同一次加油' },
});
const linkDuplicate = (duplicateId: string, minutes = 30) => command('LinkDuplicate', { duplicateId, reason: '同一车主同一天两次来电' }, minutes, supervisor);
const unlinkDuplicate = (duplicateId: string, minutes = 50) => command('UnlinkDuplicate', { duplicateId, reason: '核实后非重复' }, minutes, supervisor);
const duplicateLinked = (duplicateId: string, minutes = 30): ComplaintEvent => ({
  type: 'ComplaintDuplicateLinked', data: { complaintId, linkedAt: at(minutes), by: supervisor, duplicateId, reason: '同一车主同一天两次来电' },
});
const duplicateUnlinked = (duplicateId: string, minutes = 50): ComplaintEvent => ({
  type: 'ComplaintDuplicateUnlinked', data: { complaintId, unlinkedAt: at(minutes), by: supervisor, duplicateId, reason: '核实后非重复' },
});
const closed = [received, validated, assigned, resolvedAccepted, calledBackSatisfied];

describe('tags and links between complaints', () => {
  describe('tags', () => {
    it('adds free tags, folded to one form (NFKC, lower case, trimmed), each once, in the order given', () => {
      spec.given([received]).when(tag({ add: [' Metering ', 'ＶＩＰ', '油品', 'metering'] })).then([tagged(['metering', 'vip', '油品'], [], ['metering', 'vip', '油品'])]);
    });

    it('folds case fully: İstanbul is istanbul (no combining dot left), ß is ss', () => {
      spec.given([received]).when(tag({ add: ['İstanbul', 'STRASSE', 'straße'] })).then([tagged(['istanbul', 'strasse'], [], ['istanbul', 'strasse'])]);
    });

    it('drops invisible marks (variation selectors, joiners), folds final sigma, and refuses a pile of combining marks', () => {
      spec.given([received]).when(tag({ add: ['vip\u034f', 'vip\ufe0f', 'VIP\u180b', 'ΣΑΣ', 'σασ'] })).then([tagged(['vip', 'σασ'], [], ['vip', 'σασ'])]);
      spec.given([received]).when(tag({ add: [`vip${'\u0308'.repeat(28)}`] })).thenThrows(InvalidComplaintCommandError, (error) => expect(error.code).toBe('invalid-tag'));
      // Three marks on one letter, the first of which NFC folds into it (á): still a pile.
      spec.given([received]).when(tag({ add: ['a\u0301\u0301\u0301'] })).thenThrows(InvalidComplaintCommandError, (error) => expect(error.code).toBe('invalid-tag'));
      spec.given([received]).when(tag({ add: ['ệ'] })).then([tagged(['ệ'], [], ['ệ'])]);
    });

    it('removes a tag sent as the complaint has it, also one recorded under earlier rules that no longer folds to itself', () => {
      const earlier = tagged(['οδός', 'a\u0301\u0301\u0301'], [], ['οδός', 'a\u0301\u0301\u0301']);
      spec.given([received, earlier]).when(tag({ remove: ['οδός', 'a\u0301\u0301\u0301'] })).then([tagged([], ['οδός', 'a\u0301\u0301\u0301'], [])]);
    });

    it('shows a refused tag with its invisible and bidirectional characters escaped, not raw', () => {
      spec.given([received]).when(tag({ add: ['a\u202eb'] })).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error.message).toContain('"a\\u202eb" is not a tag');
        expect(error.message).not.toContain('\u202e');
      });
    });

    it('removes tags and adds others in one decision, with a reason when one is given; the complaint keeps its status', () => {
      const first = tagged(['metering', 'vip'], [], ['metering', 'vip']);
      spec.given([received, first]).when(tag({ add: ['repeat-caller'], remove: ['VIP'], reason: '核实后非VIP' }, 25))
        .then([tagged(['repeat-caller'], ['vip'], ['metering', 'repeat-caller'], 25, '核实后非VIP')]);
      const state = fold([received, first, tagged(['repeat-caller'], ['vip'], ['metering', 'repeat-caller'], 25)]) as ExistingComplaint;
      expect(state).toMatchObject({ status: 'received', tags: ['metering', 'repeat-caller'] });
    });

    it('tags a closed complaint too (a tag is for finding it, not a step of handling it)', () => {
      spec.given(closed).when(tag({ add: ['lesson-learned'] })).thenProduces(([event]) => expect(event?.type).toBe('ComplaintTagged'));
    });

    it('refuses a tag command that changes nothing (409), and one with nothing to add or remove (400)', () => {
      spec.given([received, tagged(['vip'], [], ['vip'])]).when(tag({ add: ['VIP'], remove: ['absent'] }))
        .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('nothing-changed'));
      spec.given([received]).when(tag({})).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'nothing-to-change', field: 'add' }));
    });

    it.each([['has space'], ['a.b'], ['$where'], [''], ['x'.repeat(33)], ['-lead'], ['trail-'], ['trail_'], ['_lead'], ['tag\u202e']])('refuses a tag that is not a word, a number, - or _ (%p), saying how one is written', (bad) => {
      spec.given([received]).when(tag({ add: ['ok', bad] })).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-tag', field: 'add[1]' });
        expect(error.message).toContain('letters');
      });
    });

    describe('in one script (a tag that reads like another is not a second tag)', () => {
      it.each([
        ['v\u0430lve', '\u0430', 'U+0430', 'Cyrillic among Latin'],
        ['m\u03bftor', '\u03bf', 'U+03BF', 'Greek among Latin'],
        ['\u043d\u0430\u0441\u043ec', 'c', 'U+0063', 'Latin among Cyrillic'],
        ['油品\u0430', '\u0430', 'U+0430', 'Cyrillic among Han'],
        // The micro sign folds to Greek mu: on a tie the Latin letter is the one meant, and mu is named.
        ['\u00b5m', '\u03bc', 'U+03BC', 'Greek among Latin'],
      ])('refuses %p, naming the odd character and its script', (bad, char, point, words) => {
        spec.given([received]).when(tag({ add: ['valve', bad] })).thenThrows(InvalidComplaintCommandError, (error) => {
          expect(error).toMatchObject({ code: 'mixed-script-tag', field: 'add[1]' });
          expect(error.message).toContain(`"${char}" (${point}) is ${words} letters`);
          expect(error.message).toContain('one script');
        });
      });

      it('folds a full-width tag to the plain one (the same tag), and keeps Chinese with Latin letters and digits, Japanese, Greek or Cyrillic words whole', () => {
        spec.given([received, tagged(['valve'], [], ['valve'])]).when(tag({ add: ['ｖａｌｖｅ'] }))
          .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('nothing-changed'));
        spec.given([received]).when(tag({ add: ['加油机A3', 'ガソリン漏れ', 'насос', 'αντλία', 'pump_2'] }))
          .then([tagged(['加油机a3', 'ガソリン漏れ', 'насос', 'αντλία', 'pump_2'], [], ['加油机a3', 'ガソリン漏れ', 'насос', 'αντλία', 'pump_2'])]);
      });

      it('still removes a mixed tag recorded before the rule', () => {
        const old = tagged(['v\u0430lve'], [], ['v\u0430lve']);
        spec.given([received, old]).when(tag({ remove: ['V\u0410LVE'] })).then([tagged([], ['v\u0430lve'], [])]);
      });
    });

    it('refuses a twenty-first tag', () => {
      const twenty = Array.from({ length: 20 }, (_, index) => `t${index}`);
      spec.given([received, tagged(twenty, [], twenty)]).when(tag({ add: ['one-more'] }))
        .thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'too-many-tags', field: 'add' }));
    });

    it('gives each tag a key a read store can filter on (ASCII, one per tag)', () => {
      expect(complaintTagKey('vip')).toMatch(/^t_[0-9a-f]+$/);
      expect(complaintTagKey('油品')).not.toBe(complaintTagKey('vip'));
    });
  });

  describe('links to other complaints', () => {
    it('records a duplicate-of link and a related link, shown in the complaint\'s state', () => {
      spec.given([received]).when(relate(ORIGINAL, 'duplicate-of')).then([related(ORIGINAL, 'duplicate-of')]);
      const state = fold([received, related(ORIGINAL, 'duplicate-of'), related(OTHER, 'related', 40)]) as ExistingComplaint;
      expect(state.related).toEqual([
        { complaintId: ORIGINAL, relation: 'duplicate-of', at: at(30), by: supervisor },
        { complaintId: OTHER, relation: 'related', at: at(40), by: supervisor },
      ]);
    });

    it('changes a link\'s kind (related → duplicate-of) in place, and refuses the same link twice', () => {
      const state = fold([received, related(ORIGINAL, 'related'), related(ORIGINAL, 'duplicate-of', 40)]) as ExistingComplaint;
      expect(state.related).toEqual([{ complaintId: ORIGINAL, relation: 'duplicate-of', at: at(40), by: supervisor }]);
      spec.given([received, related(ORIGINAL, 'related')]).when(relate(ORIGINAL, 'related'))
        .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('nothing-changed'));
    });

    it('refuses a link to itself, or to a complaint that does not exist (or the caller does not see)', () => {
      spec.given([received]).when(relate(complaintId, 'related')).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'relation-to-itself', field: 'complaintId' }));
      spec.given([received]).when(relate(OTHER, 'related', null)).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'unknown-related-complaint', field: 'complaintId' }));
    });

    it('refuses a second original, naming the first', () => {
      spec.given([received, related(ORIGINAL, 'duplicate-of')]).when(relate(OTHER, 'duplicate-of'))
        .thenThrows(IllegalTransitionError, (error) => {
          expect(error.code).toBe('already-duplicate');
          expect(error.message).toContain(ORIGINAL);
        });
    });

    it('refuses a duplicate of a duplicate (409), naming the original to link to instead (so no chain can form)', () => {
      spec.given([received]).when(relate(OTHER, 'duplicate-of', { duplicateOf: ORIGINAL }))
        .thenThrows(IllegalTransitionError, (error) => {
          expect(error.code).toBe('duplicate-of-a-duplicate');
          expect(error.message).toContain(`duplicate of ${ORIGINAL}: mark this complaint a duplicate of ${ORIGINAL}, the original`);
        });
    });

    it('refuses marking the original of its own duplicate as a duplicate of it (a cycle of two), saying this one is the original', () => {
      spec.given([received]).when(relate(OTHER, 'duplicate-of', { duplicateOf: complaintId }))
        .thenThrows(IllegalTransitionError, (error) => {
          expect(error.code).toBe('duplicate-of-a-duplicate');
          expect(error.message).toContain('this one is the original');
        });
    });

    it('refuses marking a complaint that has duplicates as a duplicate (409), naming them, so duplicates stay one level deep and no longer cycle can form', () => {
      spec.given([received, duplicateLinked(OTHER)]).when(relate(ORIGINAL, 'duplicate-of'))
        .thenThrows(IllegalTransitionError, (error) => {
          expect(error.code).toBe('has-duplicates');
          expect(error.message).toContain(`original of ${OTHER}`);
          expect(error.message).toContain(`mark ${ORIGINAL} a duplicate of this complaint instead`);
          // What to do to mark it all the same: withdraw the duplicates' markings first (on each duplicate).
          expect(error.message).toContain(`first withdraw the marking of ${OTHER} (POST /complaints/{duplicate}/unrelate with complaintId`);
          expect(error.message).not.toContain('first link');
        });
    });

    it('links a complaint that has duplicates as related (only duplicate-of is refused)', () => {
      spec.given([received, duplicateLinked(OTHER)]).when(relate(ORIGINAL, 'related')).then([related(ORIGINAL, 'related')]);
    });
  });

  describe('the original\'s side of a duplicate link', () => {
    it('records the duplicate on the original, shown in its state in the order they were marked', () => {
      spec.given([received]).when(linkDuplicate(OTHER)).then([duplicateLinked(OTHER)]);
      const state = fold([received, duplicateLinked(OTHER), duplicateLinked(ORIGINAL, 40)]) as ExistingComplaint;
      expect(state.duplicates).toEqual([{ complaintId: OTHER, at: at(30), by: supervisor }, { complaintId: ORIGINAL, at: at(40), by: supervisor }]);
    });

    it('records nothing when the duplicate is recorded already (a retry)', () => {
      spec.given([received, duplicateLinked(OTHER)]).when(linkDuplicate(OTHER)).then([]);
    });

    it('refuses when the original has become a duplicate itself meanwhile (409), naming its original: two markings that cross meet here', () => {
      spec.given([received, related(ORIGINAL, 'duplicate-of')]).when(linkDuplicate(OTHER))
        .thenThrows(IllegalTransitionError, (error) => {
          expect(error.code).toBe('duplicate-of-a-duplicate');
          expect(error.message).toContain(`${complaintId} is itself a duplicate of ${ORIGINAL}: mark this complaint a duplicate of ${ORIGINAL}`);
        });
      spec.given([received, related(OTHER, 'duplicate-of')]).when(linkDuplicate(OTHER))
        .thenThrows(IllegalTransitionError, (error) => expect(error.message).toBe(`${complaintId} is a duplicate of this complaint: this one is the original.`));
    });

    it('refuses a complaint as its own duplicate', () => {
      spec.given([received]).when(linkDuplicate(complaintId)).thenThrows(InvalidComplaintCommandError, (error) => expect(error.code).toBe('relation-to-itself'));
    });

    it('unlinks a duplicate (its link became related), and records nothing for one it does not have', () => {
      spec.given([received, duplicateLinked(OTHER)]).when(unlinkDuplicate(OTHER)).then([duplicateUnlinked(OTHER)]);
      spec.given([received]).when(unlinkDuplicate(OTHER)).then([]);
      const state = fold([received, duplicateLinked(OTHER), duplicateLinked(ORIGINAL, 40), duplicateUnlinked(OTHER)]) as ExistingComplaint;
      expect(state.duplicates.map((each) => each.complaintId)).toEqual([ORIGINAL]);
    });

    it('refuses on a complaint that does not exist', () => {
      spec.given([]).when(linkDuplicate(OTHER)).thenThrows(ComplaintNotFoundError, () => undefined);
    });
  });

  describe('removing a link', () => {
    it('removes a related link or the duplicate-of link, recording which kind it was; the other links stay', () => {
      spec.given([received, related(ORIGINAL, 'duplicate-of'), related(OTHER, 'related', 40)]).when(unrelate(ORIGINAL)).then([unrelated(ORIGINAL, 'duplicate-of')]);
      spec.given([received, related(OTHER, 'related')]).when(unrelate(OTHER)).then([unrelated(OTHER, 'related')]);
      const state = fold([received, related(ORIGINAL, 'duplicate-of'), related(OTHER, 'related', 40), unrelated(ORIGINAL, 'duplicate-of')]) as ExistingComplaint;
      expect(state).toMatchObject({ status: 'received', related: [{ complaintId: OTHER, relation: 'related' }] });
    });

    it('lets a complaint whose duplicate-of link was removed be marked a duplicate of another original', () => {
      spec.given([received, related(ORIGINAL, 'duplicate-of'), unrelated(ORIGINAL, 'duplicate-of')]).when(relate(OTHER, 'duplicate-of'))
        .then([related(OTHER, 'duplicate-of')]);
    });

    it('removes a link on a closed complaint too', () => {
      spec.given([...closed, related(OTHER, 'related')]).when(unrelate(OTHER)).then([unrelated(OTHER, 'related')]);
    });

    it('refuses to remove a link that is not there (409), naming the links there are, and a link that was already removed', () => {
      spec.given([received]).when(unrelate(OTHER)).thenThrows(IllegalTransitionError, (error) => {
        expect(error.code).toBe('not-linked');
        expect(error.message).toContain('made no link to another complaint');
      });
      spec.given([received, related(ORIGINAL, 'duplicate-of')]).when(unrelate(OTHER)).thenThrows(IllegalTransitionError, (error) => {
        expect(error.code).toBe('not-linked');
        expect(error.message).toContain(`not linked to ${OTHER}; its links: ${ORIGINAL} (duplicate-of)`);
      });
      spec.given([received, related(OTHER, 'related'), unrelated(OTHER, 'related')]).when(unrelate(OTHER))
        .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('not-linked'));
    });

    it('refuses a blank reason and the complaint itself (400)', () => {
      spec.given([received, related(OTHER, 'related')]).when(unrelate(OTHER, '  ')).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'blank-text', field: 'reason' }));
      spec.given([received, related(OTHER, 'related')]).when(unrelate(complaintId)).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'relation-to-itself', field: 'complaintId' }));
    });
  });

  describe('in the trail\'s words', () => {
    it('names the tags and the link', () => {
      expect(decisionWords(tagged(['vip'], ['metering'], ['vip'], 20, '核实'))).toEqual({ 'zh-CN': '标签：添加 vip；移除 metering：核实', en: 'Tags: added vip; removed metering: 核实' });
      expect(decisionWords(related(ORIGINAL, 'duplicate-of'))).toEqual({
        'zh-CN': `标记为投诉 ${ORIGINAL} 的重复投诉：同一车主同一天两次来电`, en: `Marked as a duplicate of complaint ${ORIGINAL}: 同一车主同一天两次来电`,
      });
      expect(decisionWords(related(OTHER, 'related')).en).toBe(`Linked to related complaint ${OTHER}: 同一车主同一天两次来电`);
      expect(decisionWords(duplicateLinked(OTHER)).en).toBe(`Complaint ${OTHER} was marked as a duplicate of this one: 同一车主同一天两次来电`);
      expect(decisionWords(duplicateUnlinked(OTHER))['zh-CN']).toBe(`投诉 ${OTHER} 不再是本投诉的重复投诉：核实后非重复`);
    });

    it('names a removed link and the kind it had, in zh-CN and en', () => {
      expect(decisionWords(unrelated(ORIGINAL, 'duplicate-of'))).toEqual({
        'zh-CN': `取消标记为投诉 ${ORIGINAL} 的重复投诉：不是同一次加油`, en: `No longer a duplicate of complaint ${ORIGINAL}: 不是同一次加油`,
      });
      expect(decisionWords(unrelated(OTHER, 'related'))).toEqual({ 'zh-CN': `取消关联投诉 ${OTHER}：不是同一次加油`, en: `Unlinked related complaint ${OTHER}: 不是同一次加油` });
    });
  });
});
