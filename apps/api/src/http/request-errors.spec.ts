import { validateSync } from 'class-validator';
import { Text } from '../complaints/dto/fields';
import { RequestValidationError } from './request-errors';

class CancelBody {
  @Text(2000, { blankCode: 'reason-required' })
  reason!: string;

  @Text(200, { optional: true })
  note?: string;
}

const refusalOf = (body: Partial<CancelBody>) => RequestValidationError.fromClassValidator(validateSync(Object.assign(new CancelBody(), body)));

describe('a request refused by its DTO', () => {
  it('keeps the code a field declares for a blank text when that is the only fault, and names the field', () => {
    const refusal = refusalOf({ reason: ' \u3000' });
    expect(refusal.code).toBe('reason-required');
    expect(refusal.errors).toEqual([{ field: 'reason', message: expect.stringContaining('reason must say why, and must not be blank') }]);
  });

  it('answers validation-failed for a blank text without a code of its own, or beside another fault', () => {
    expect(refusalOf({ reason: 'why', note: '\u200b' }).code).toBe('validation-failed');
    expect(refusalOf({ reason: '   ', note: '\u200b' }).code).toBe('validation-failed');
    expect(refusalOf({}).code).toBe('validation-failed');
  });
});
