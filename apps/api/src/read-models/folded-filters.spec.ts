import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UNASSIGNED_ROW } from '@app/domain';
import { ListComplaintsQueryDto } from './query.dto';

/** A query as the pipe reads it: the value after the DTO's transforms, or the fields it refuses. */
function read(query: Record<string, string>): { department?: string; assignee?: string; refused: string[] } {
  const dto = plainToInstance(ListComplaintsQueryDto, query);
  return { department: dto.department, assignee: dto.assignee, refused: validateSync(dto).map((error) => error.property) };
}

// A blank around a folded code or id is dropped the same way for every value, the reserved word included: `unassigned ` selects
// the unassigned items as `station-ops ` selects station-ops (principalIdForm trims), not a 400 for one and a match for the other.
describe('the folded id filters (?department=, ?assignee=) read a stray blank alike', () => {
  it.each([['station-ops ', 'station-ops'], [' STATION-OPS', 'STATION-OPS'], ['unassigned ', UNASSIGNED_ROW], ['\u00a0UNASSIGNED', UNASSIGNED_ROW]])(
    'reads ?department=%j as %j', (given, read_) => {
      expect(read({ department: given })).toEqual({ department: read_, assignee: undefined, refused: [] });
    },
  );

  it.each([['li.na ', 'li.na'], ['unassigned ', UNASSIGNED_ROW]])('reads ?assignee=%j as %j', (given, read_) => {
    expect(read({ assignee: given })).toMatchObject({ assignee: read_, refused: [] });
  });
});
