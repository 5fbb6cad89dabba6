import { describe, expect, it } from '@jest/globals';
import {
  COMPLAINT_EVENT_TYPES, ILLEGAL_TRANSITION_CODES, INVALID_COMPLAINT_COMMAND_CODES, INVALID_WORK_ORDER_COMMAND_CODES, SURVEY_CONFLICT_CODES, WORK_ORDER_REFUSAL_CODES,
} from '@app/domain';
import { ATTACHMENT_PROBLEM_CODES } from '../../apps/api/src/complaints/attachments/attachment-errors';
import { PROBLEM_CODES } from '../../apps/api/src/http/problem';
import { CATALOGUE } from '../../apps/console/src/shared/i18n/catalogue';
import { PROBLEM_MESSAGES } from '../../apps/console/src/shared/i18n/problem-messages';
import { WORK_ORDER_REFUSAL_WORDS } from '../../apps/console/src/features/work-orders/refusal-messages';

describe('the catalogue', () => {
  it('names every event a complaint\'s timeline can show, in both languages (never the bare type)', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const missing = COMPLAINT_EVENT_TYPES.filter((type) => !(`event.${type}` in CATALOGUE[language]));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });
});

describe('the console\'s words for problem codes', () => {
  /** Every code the console has words for: its problem messages, and the complaint page's refusals (refusal.<code> or refusal.<action>.<code>). */
  const mapped = (language: 'en' | 'zh-CN') => [
    ...Object.keys(PROBLEM_MESSAGES[language]),
    ...Object.keys(CATALOGUE[language]).filter((key) => key.startsWith('refusal.')).map((key) => key.slice(key.lastIndexOf('.') + 1)),
  ];

  it('names only codes the API emits (PROBLEM_CODES), so that they cannot drift apart', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const unknown = mapped(language).filter((code) => !(PROBLEM_CODES as readonly string[]).includes(code));
      expect({ language, unknown }).toEqual({ language, unknown: [] });
    }
  });

  it('has words for the codes of the complaint actions, tags and links, assignment, surveys and work orders a person meets in the console', () => {
    // Less what the SLA monitor meets (its clocks' refusals) and what the console never sends (a policy, a body that is not multipart).
    const bySystem = ['clock-not-running', 'breach-already-recorded', 'clock-met', 'deadline-not-passed', 'at-risk-already-recorded', 'not-yet-at-risk', 'deadline-passed', 'invalid-policy', 'malformed-multipart'];
    const met = [...ILLEGAL_TRANSITION_CODES, ...INVALID_COMPLAINT_COMMAND_CODES, ...ATTACHMENT_PROBLEM_CODES,
      ...SURVEY_CONFLICT_CODES, 'survey-not-found', 'work-order-not-found', 'revision-mismatch', 'concurrent-modification'].filter((code) => !bySystem.includes(code));
    for (const language of ['en', 'zh-CN'] as const) {
      const words = new Set(mapped(language));
      expect({ language, without: met.filter((code) => !words.has(code)) }).toEqual({ language, without: [] });
    }
  });

  it('has words for every code a work-order form can meet: the data it sends, and the refusals only that data gives', () => {
    // Only a new order's report (POST /work-orders) or a policy sends these; the work-order page's forms never do.
    const notFromAForm = ['invalid-serial-number', 'invalid-region', 'invalid-policy', 'invalid-repeat-window'];
    const byTheData = ['charge-covered-by-warranty', 'fee-exceeds-quote', 'engineer-no-longer-active', 'escalation-level-not-higher', 'already-linked', 'survey-already-open', 'quote-superseded', 'not-the-dispatched-engineer'];
    const met = [...INVALID_WORK_ORDER_COMMAND_CODES.filter((code) => !notFromAForm.includes(code)), ...byTheData];
    for (const language of ['en', 'zh-CN'] as const) {
      const words = new Set(mapped(language));
      expect({ language, without: met.filter((code) => !words.has(code)) }).toEqual({ language, without: [] });
    }
  });
});

describe('the work-order page\'s words for the refusals of allowedActions', () => {
  const refusals = (language: 'en' | 'zh-CN') => Object.keys(WORK_ORDER_REFUSAL_WORDS[language]).filter((key) => key.startsWith('refusal.')).map((key) => key.slice('refusal.'.length));

  it('words every refusal of the order\'s state in both languages, and only codes the API emits', () => {
    // The SLA monitor's, and those only the data sent can give (a placeholder never reaches them: see work-order.actions.ts).
    const notOfTheState = ['clock-not-running', 'clock-met', 'breach-already-recorded', 'deadline-not-passed', 'charge-covered-by-warranty', 'fee-exceeds-quote',
      'engineer-no-longer-active', 'escalation-level-not-higher', 'already-linked', 'survey-already-open', 'quote-superseded'];
    for (const language of ['en', 'zh-CN'] as const) {
      const words = refusals(language);
      const without = WORK_ORDER_REFUSAL_CODES.filter((code) => !notOfTheState.includes(code) && !words.includes(code));
      const unknown = words.filter((code) => !(PROBLEM_CODES as readonly string[]).includes(code));
      expect({ language, without, unknown }).toEqual({ language, without: [], unknown: [] });
    }
  });
});

