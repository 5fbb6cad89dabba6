import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { ProblemCode } from '../http/problem';
import { CommandResponses, ProblemResponses, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import { CommandAcceptedDto } from '../complaints/dto/complaint-commands.dto';

type Subject = 'work order' | 'product' | 'service network';

const NOT_FOUND: Record<Subject, ProblemResponseSpec> = {
  'work order': { status: 404, description: 'No such work order, or one outside the caller\'s service points.', codes: ['work-order-not-found'] },
  product: { status: 404, description: 'No product with this serial number is registered (or the path cannot be a serial number).', codes: ['product-not-found'] },
  'service network': { status: 404, description: 'No such unit in the service network.', codes: ['service-unit-not-found'] },
};

/** The service network and the product registry belong to no department (scope.ts). */
const SPANS_DEPARTMENTS = (roles: string, also = ''): ProblemResponseSpec => ({
  status: 403, codes: ['forbidden'],
  description: `The token's role may not call this route (allowed: ${roles}), or the token is limited to departments: this changes what spans every department${also}. Nothing was written.`,
});

export interface AfterSalesCommandOptions {
  readonly subject: Subject;
  /** Where a created resource is read (an example path): the command answers 201 with Location. */
  readonly created?: string;
  /** The command's type, as a refusal's `command` names it. */
  readonly command: string;
  /** The 2xx answer's schema when it says more than { id, revision, position }. */
  readonly answer?: typeof CommandAcceptedDto;
  /** The codes of the 409 a refusal in the current state answers. */
  readonly illegal?: readonly ProblemCode[];
  /** The codes of the domain's 400s. */
  readonly invalid?: readonly ProblemCode[];
  /** Another 404 than the subject's (an engineer); none on a command that creates. */
  readonly notFound?: ProblemResponseSpec;
  /** The command's stream may be deleted on the server though the command creates (a named one: a product's serial, the one service-network stream). */
  readonly deletable?: boolean;
  /** The roles allowed, when the route also refuses a token limited to departments (403). */
  readonly spansDepartments?: string;
  /** What else the 403 refuses, as a clause (", or …"). */
  readonly forbiddenAlso?: string;
  /** The route is kept for the front-ends that use it, and this route replaces it (answers carry Deprecation and Link: deprecated). */
  readonly deprecatedFor?: string;
}

/** When the older per-order survey routes were deprecated (RFC 9745: a Structured Field Date, seconds since the epoch). */
const SURVEY_ROUTES_DEPRECATED_AT = '@1796169600';

/**
 * The deprecated routes and what replaces each: every answer of theirs (a 400 or a 403 too) carries
 * RFC 9745's Deprecation and RFC 8288's Link rel="successor-version" (set at the edge, before the
 * guards and pipes can answer).
 */
export const DEPRECATED_ROUTES: ReadonlyMap<string, { readonly since: string; readonly successor: string }> = new Map([
  ['POST /work-orders/:id/survey', { since: SURVEY_ROUTES_DEPRECATED_AT, successor: '/surveys' }],
  ['POST /work-orders/:id/survey-answer', { since: SURVEY_ROUTES_DEPRECATED_AT, successor: '/surveys' }],
]);

/** The documentation every after-sales command shares: CommandResponses of the subject, with its 404 and 409s. */
export function AfterSalesCommandDocs(summary: string, options: AfterSalesCommandOptions) {
  const { subject } = options;
  const conflict = {
    description: `Not allowed in the ${subject}'s current state (\`command\`${subject === 'work order' ? ' and `currentStatus` say' : ' says'} why), or other writers kept changing it. Nothing was written.`,
    example: { command: options.command, ...(subject === 'work order' ? { currentStatus: 'reported' } : {}) },
  };
  return applyDecorators(
    ApiOperation({
      summary,
      ...(options.deprecatedFor ? { deprecated: true, description: `Deprecated since 2026-12-02: use \`${options.deprecatedFor}\`, which every front-end should move to. This route keeps working and feeds the same survey list and statistics; its answers carry \`Deprecation\` and \`Link: <…>; rel="successor-version"\` (RFC 9745).` } : {}),
    }),
    CommandResponses({
      type: options.answer ?? CommandAcceptedDto, subject, conflict,
      ...(options.created ? { created: { location: options.created } } : { notFound: options.notFound ?? NOT_FOUND[subject] }),
      ...(options.illegal ? { illegal: options.illegal } : {}),
      ...(options.invalid ? { invalid: options.invalid } : {}),
      ...(options.deletable === undefined ? {} : { deletable: options.deletable }),
      mismatch: `The ${subject} is at revision 3, not 2: reload it and decide again.`,
    }),
    ...(options.spansDepartments ? [ProblemResponses(SPANS_DEPARTMENTS(options.spansDepartments, options.forbiddenAlso))] : []),
  );
}
