import { describe, expect, it } from '@jest/globals';
import { PROBLEM_MESSAGES } from '../i18n/problem-messages';
import { ApiError } from './client';
import { describeFailure, NO_PROBLEM_WORDS } from './problem-text';

const MIXED = '"mеtering" mixes scripts: "е" (U+0435) is Cyrillic among Latin letters, so the tag would read like another one.';
/** A domain refusal as the API answers it: the detail, repeated as its one field's message. */
const mixedScript = new ApiError(400, { status: 400, code: 'mixed-script-tag', detail: MIXED, errors: [{ field: 'add[0]', message: MIXED }] });

describe('what an alert says of a failed request', () => {
  it('says a refusal the console has words for once, in the language picked, without the API\'s English detail', () => {
    expect(describeFailure(mixedScript, 'zh-CN', PROBLEM_MESSAGES)).toEqual({ message: `未执行：${PROBLEM_MESSAGES['zh-CN']['mixed-script-tag']}`, fields: [] });
    expect(describeFailure(mixedScript, 'en', PROBLEM_MESSAGES)).toEqual({ message: `Not done: ${PROBLEM_MESSAGES.en['mixed-script-tag']}`, fields: [] });
  });

  it('uses the complaint page\'s words for a transition\'s refusal', () => {
    const refused = new ApiError(409, { status: 409, code: 'not-received', detail: 'ValidateComplaint is not allowed in status assigned.' });
    expect(describeFailure(refused, 'zh-CN', PROBLEM_MESSAGES).message).toBe('未执行：只有已受理的投诉才能判定。');
  });

  it('falls back to the API\'s detail for a code without words, and lists only the field messages that add to it', () => {
    const invalid = new ApiError(400, {
      status: 400, code: 'validation-failed', detail: 'The body has 2 invalid fields.',
      errors: [{ field: 'reason', message: 'reason must be text' }, { field: 'level', message: 'level must be a number' }],
    });
    expect(describeFailure(invalid, 'zh-CN', PROBLEM_MESSAGES)).toEqual({ message: '请求失败：The body has 2 invalid fields.', fields: ['reason must be text', 'level must be a number'] });
    // The words not loaded (yet, or at all): the detail, once.
    expect(describeFailure(mixedScript, 'en', NO_PROBLEM_WORDS)).toEqual({ message: `The request failed: ${MIXED}`, fields: [] });
  });

  it('says a 403 in the console\'s words (why, for a deactivated person), and an error that is not the API\'s as it is', () => {
    expect(describeFailure(new ApiError(403, { status: 403, code: 'forbidden', detail: 'Role analyst may not call POST /complaints.' }), 'en', PROBLEM_MESSAGES))
      .toEqual({ message: 'Your token may not do this.', fields: [] });
    const deactivated = new ApiError(403, { status: 403, code: 'agent-deactivated', detail: 'Agent li.na was deactivated in the service network …' });
    expect(describeFailure(deactivated, 'zh-CN', PROBLEM_MESSAGES)).toEqual({ message: `未执行：${PROBLEM_MESSAGES['zh-CN']['agent-deactivated']}`, fields: [] });
    expect(describeFailure(new TypeError('Failed to fetch'), 'en', PROBLEM_MESSAGES)).toEqual({ message: 'The request failed: Failed to fetch', fields: [] });
  });

  it('ignores a code that names a property of every object', () => {
    const odd = new ApiError(400, { status: 400, code: 'constructor', detail: 'odd' });
    expect(describeFailure(odd, 'en', PROBLEM_MESSAGES).message).toBe('The request failed: odd');
  });
});
