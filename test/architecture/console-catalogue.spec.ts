import { describe, expect, it } from '@jest/globals';
import { COMPLAINT_EVENT_TYPES } from '@app/domain';
import { CATALOGUE } from '../../apps/console/src/shared/i18n/catalogue';

describe('the catalogue', () => {
  it('names every event a complaint\'s timeline can show, in both languages (never the bare type)', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const missing = COMPLAINT_EVENT_TYPES.filter((type) => !(`event.${type}` in CATALOGUE[language]));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });
});
