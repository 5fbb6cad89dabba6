import { describe, expect, it } from '@jest/globals';
import { ownerOptions, UNASSIGNED } from './owner-options';

describe('the queue\'s department and assignee picker: its choices in order (Enter takes the first that matches)', () => {
  it('offers a code typed first, then "none yet"', () => {
    expect(ownerOptions('quality', undefined, 'No department')).toEqual([{ value: 'quality', label: 'quality' }, { value: UNASSIGNED, label: 'No department' }]);
  });

  it('offers "none yet" first, and the text typed not as a code, when that text starts its name, in either language and case', () => {
    expect(ownerOptions('No dep', undefined, 'No department')).toEqual([{ value: UNASSIGNED, label: 'No department' }]);
    expect(ownerOptions('no D', undefined, 'No department').map((option) => option.value)).toEqual([UNASSIGNED]);
    expect(ownerOptions('未分派', undefined, '未分派部门').map((option) => option.value)).toEqual([UNASSIGNED]);
    // The code the address shows is still offered, after it.
    expect(ownerOptions('No dep', 'quality', 'No department').map((option) => option.value)).toEqual([UNASSIGNED, 'quality']);
  });

  it('a code that does not start the name stays first, even one that starts with the same letter', () => {
    expect(ownerOptions('north', undefined, 'No department').map((option) => option.value)).toEqual(['north', UNASSIGNED]);
  });

  it('offers the code the address shows, and nothing typed keeps "none yet" last; "unassigned" is never offered as a code', () => {
    expect(ownerOptions('', 'quality', 'No department').map((option) => option.value)).toEqual(['quality', UNASSIGNED]);
    expect(ownerOptions('', UNASSIGNED, 'No department').map((option) => option.value)).toEqual([UNASSIGNED]);
    expect(ownerOptions('  ', undefined, 'No department').map((option) => option.value)).toEqual([UNASSIGNED]);
  });
});
