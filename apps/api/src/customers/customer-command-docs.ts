import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import type { ProblemCode } from '../http/problem';
import { CommandResponses, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';

export const CUSTOMER_ID_PARAM = ApiParam({ name: 'id', description: 'The customer id (1–100 letters, digits or . _ - @ :).', example: 'cust-20001' });

export const CUSTOMER_FILE_NOT_FOUND: ProblemResponseSpec = {
  status: 404, codes: ['customer-file-not-found'],
  description: 'No customer file of this id, or one a token limited to departments does not see (it opened it, or sees one of the customer\'s complaints).',
};

/** Opening under an id whose file a token limited to departments does not see: the 404 of a read, not a 409 that would tell the file is there. */
const HIDDEN_FILE: ProblemResponseSpec = {
  status: 404, codes: ['customer-file-not-found'],
  description: 'The id has a file that a token limited to departments does not see: answered as a read of it would be. Nothing was written.',
};

/** What a closed file answers to every command: merged into another (the survivor is named) or erased. */
const CLOSED: readonly ProblemCode[] = ['customer-file-merged', 'customer-file-erased'];
/** Text the domain checks after the request's own validation (a reason of spaces only). */
export const TEXT: readonly ProblemCode[] = ['blank-text', 'text-too-long'];

export interface CustomerCommandOptions {
  /** The command's type, as a refusal's `command` names it. */
  readonly command: string;
  /** Where the created file is read (an example path): the command answers 201 with Location. */
  readonly created?: string;
  /** The codes of the 409 besides a closed file's (nothing-changed, the merge's own). */
  readonly illegal?: readonly ProblemCode[];
  /** The codes of the domain's 400s. */
  readonly invalid?: readonly ProblemCode[];
}

/**
 * The documentation every customer-file command shares: CommandResponses of a customer file, with
 * its 404 (unless it opens one) and the 409 of a closed file (`survivorId` names the file a merged
 * one went to, `lastSurvivorId` the one that stays for it now).
 */
export function CustomerCommandDocs(summary: string, options: CustomerCommandOptions) {
  const illegal = options.created ? options.illegal ?? [] : [...CLOSED, ...(options.illegal ?? [])];
  const conflict = options.created
    ? { description: 'The id already has a file (a token limited to departments that does not see it is answered 404). Nothing was written.', example: {} }
    : {
      description: 'The file is closed (`customer-file-merged`: `survivorId` names the file it was merged into, `lastSurvivorId` the file to send it to, the end of the chain if that one was merged on too; `customer-file-erased`), the command does not fit it as it stands '
        + '(`command` names it), the update changes nothing (`nothing-changed`), or other writers kept changing it. Nothing was written.',
      example: { survivorId: 'cust-20001', lastSurvivorId: 'cust-20001' },
    };
  return applyDecorators(
    ApiOperation({ summary }),
    ...(options.created ? [] : [CUSTOMER_ID_PARAM]),
    CommandResponses({
      type: CommandAcceptedDto, subject: 'customer file', conflict, illegal, deletable: true,
      ...(options.created ? { created: { location: options.created }, notFound: HIDDEN_FILE } : { notFound: CUSTOMER_FILE_NOT_FOUND }),
      invalid: [...TEXT, ...(options.invalid ?? [])],
      mismatch: 'The customer file is at revision 3, not 2: reload it and decide again.',
    }),
  );
}
