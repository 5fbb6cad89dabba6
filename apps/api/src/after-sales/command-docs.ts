import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPreconditionFailedResponse,
} from '@nestjs/swagger';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';

/** The documentation every after-sales command shares: headers, the answer, the refusals by kind. */
export function AfterSalesCommandDocs(summary: string, options: { what: string; created?: string }) {
  return applyDecorators(
    ApiOperation({ summary }),
    options.created
      ? ApiCreatedResponse({ type: CommandAcceptedDto, description: 'Recorded; the events are on disk.', headers: { Location: { description: options.created }, ETag: { description: 'the revision' } } })
      : ApiOkResponse({ type: CommandAcceptedDto, description: 'Recorded; the events are on disk.', headers: { ETag: { description: 'the revision' } } }),
    ApiBadRequestResponse({ description: 'A field breaks a rule, or names something the directory does not have (problem+json with a code and the field).' }),
    ...(options.created ? [] : [ApiNotFoundResponse({ description: `No such ${options.what}, or not one you may see (problem+json).` })]),
    ApiConflictResponse({ description: `Not allowed in the ${options.what}'s current state; nothing is written (problem+json with a code, the command and the current status).` }),
    ApiPreconditionFailedResponse({ description: `If-Match named another revision than the ${options.what}'s.` }),
    ApiHeader({ name: 'If-Match', required: false, description: `The revision (ETag) you decided on; 412 if the ${options.what} has changed since.` }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry safely: the same key and body return the first response and write nothing.' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded in the metadata of the events.' }),
  );
}
