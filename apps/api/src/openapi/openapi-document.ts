import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { IGNORES_QUERY_EXTENSION } from '../http/query-parameters.guard';
import { PROBLEM_SCHEMA } from './problem.schema';
import { isJsonOnly, problemResponse, successMediaTypesOf } from './api-responses.decorator';
import { DEPRECATED_ROUTES } from '../after-sales/command-docs';
import { NotAcceptableError } from '../http/request-errors';

const JSON_ONLY_DETAIL = new NotAcceptableError('text/csv', ['application/json'], false).message;
/** What every route adds to its 400s (readAccept): a list, a statistics route or the feed reads no Accept when `format` is given. */
const MALFORMED_WEIGHT = 'an `Accept` whose q-value is malformed (not a number from 0 to 1, or given twice in one range) is a 400 too; `errors` names `Accept`.';
const malformedWeight = (takesFormat: boolean): string => (takesFormat ? `Without \`format\`, ${MALFORMED_WEIGHT}` : `${MALFORMED_WEIGHT[0]!.toUpperCase()}${MALFORMED_WEIGHT.slice(1)}`);

/** A JSON Schema or OpenAPI object as the document holds it: plain JSON. */
type Node = Record<string, unknown>;

export const BEARER_SCHEME = 'bearer';

/**
 * The OpenAPI document the API serves at /docs-json: built by @nestjs/swagger from the
 * controllers' decorators, then finished here into OpenAPI 3.1 (see finishDocument).
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Complaint Desk API')
    .setDescription([
      'Event-sourced complaint and after-sales service management. Commands record decisions as events and answer `{ id, revision, position }` with an ETag;',
      'send the ETag back as If-Match to refuse a command on a complaint that changed since. Reads of the read models take `minPosition` (a command\'s position) to read',
      'their own writes. Errors are application/problem+json (RFC 9457) with a stable `code` (the enum of the Problem schema).',
    ].join(' '))
    .setVersion('0.1.0')
    .setOpenAPIVersion('3.1.0')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque',
      description: 'An opaque access token (not a JWT: it carries nothing and is looked up by its SHA-256). Issued ones look like `cdt_` and 43 base64url characters '
        + 'and are shown once, by POST /access/tokens; the bootstrap ones come from API_TOKENS or DATA_DIR/tokens.json. Each stands for a principal with one role '
        + '(agent, supervisor, analyst, auditor, admin), possibly limited to departments.',
    }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return finishDocument(document);
}

/**
 * What @nestjs/swagger (11) does not do itself. It writes the version it is given but OpenAPI 3.0
 * schemas, so `nullable: true` becomes a type union with "null" (3.1 is JSON Schema 2020-12, where
 * `nullable` does not exist). A route without a security requirement is public and says so with
 * `security: []` (Roles() adds the bearer requirement to every other). Every route lists what the
 * edge answers before any handler runs: 415 to a body that is not JSON, 431 to a request line or
 * headers too large, on a route without query parameters 400 to a query (QueryParametersGuard), and on a route with path parameters 400 and 414 to one the router cannot take. Every JSON body without an
 * example gets one built from its schema's property examples. And the license is named by its
 * SPDX identifier, which 3.1 allows.
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const finished = structuredClone(document) as OpenAPIObject & Node;
  finished.openapi = '3.1.0';
  finished.info = { ...finished.info, license: { name: 'MIT', identifier: 'MIT' } as never };
  finished.components = { ...finished.components, schemas: { ...finished.components?.schemas, [PROBLEM_SCHEMA.name]: PROBLEM_SCHEMA.schema as never } };
  walkSchemas(finished, withoutNullable);
  const components = (finished.components?.schemas ?? {}) as Record<string, Node>;
  for (const [pathName, path] of Object.entries(finished.paths)) {
    for (const [method, operation] of Object.entries(path) as Array<[string, Node]>) {
      operation['security'] ??= [];
      // The edge (createApp's onRequest hook) refuses a body that is not JSON on every route, before routing to a handler.
      const responses = operation['responses'] as Record<string, unknown>;
      responses['415'] ??= problemResponse({ status: 415, description: 'A body was sent that is not application/json (this route takes none).' });
      // Node's HTTP parser answers before routing when the request line (a long query) or the headers are too large.
      responses['431'] ??= problemResponse({ status: 431 });
      const parameters = (operation['parameters'] ?? []) as Node[];
      // A route that declares no query parameter refuses one (QueryParametersGuard), and fastify's router refuses
      // a path parameter it cannot decode, or one over 100 UTF-16 code units.
      // The health routes ignore a query (IgnoresQuery: probes add cache-busting parameters); the mark is not part of the document.
      const ignoresQuery = operation[IGNORES_QUERY_EXTENSION] === true;
      delete operation[IGNORES_QUERY_EXTENSION];
      const takesNoQuery = !ignoresQuery && !parameters.some((parameter) => parameter['in'] === 'query');
      const hasPath = parameters.some((parameter) => parameter['in'] === 'path');
      if (takesNoQuery || hasPath) {
        responses['400'] ??= problemResponse({
          status: 400, codes: [...(takesNoQuery ? ['validation-failed' as const] : []), ...(hasPath ? ['bad-url' as const] : [])],
          description: [takesNoQuery ? 'A query parameter was sent: this route takes none.' : '', hasPath ? 'The path is not valid percent-encoding.' : ''].filter(Boolean).join(' '),
        });
      }
      if (hasPath) responses['414'] ??= problemResponse({ status: 414 });
      // Every route reads the Accept one way (readAccept, AcceptGuard) and refuses one whose q-value is malformed; a list, a
      // statistics route and the feed read it to choose their answer, and not at all when `format` is given.
      const takesFormat = successMediaTypesOf(responses as Record<string, { content?: object }>).some((type) => type === 'text/csv' || type === 'text/event-stream');
      const invalid = responses['400'] as Node | undefined;
      if (invalid === undefined) responses['400'] = problemResponse({ status: 400, description: malformedWeight(takesFormat) });
      else {
        invalid['description'] = String(invalid['description']).replace(/ Codes?: ([^]*)\.$/, (_, codes: string) => {
          const listed = codes.split(', ');
          const all = listed.includes('`validation-failed`') ? listed : [...listed, '`validation-failed`'];
          return ` ${malformedWeight(takesFormat)} Code${all.length > 1 ? 's' : ''}: ${all.join(', ')}.`;
        });
      }
      // A GET route that answers JSON only refuses an Accept asking for CSV alone (AcceptGuard).
      if (method === 'get' && isJsonOnly(successMediaTypesOf(responses as Record<string, { content?: object }>))) {
        responses['406'] ??= problemResponse({
          status: 406, description: 'The Accept header asks for text/csv and allows no JSON (a stray blank in it named), or names a range that covers JSON and none is met (`*/*;q=0`, `application/json;foo=bar`, a parameter repeated, only `application/problem+json` taken with JSON refused, `application/problem+json;q=0`, which refuses the JSON it reads as): this route answers one document, as JSON only (the lists and statistics answer CSV).',
          example: { detail: JSON_ONLY_DETAIL, available: ['application/json'] },
        });
      }
      const deprecated = DEPRECATED_ROUTES.get(`${method.toUpperCase()} ${pathName.replace(/\{(\w+)\}/g, ':$1')}`);
      if (deprecated) declareDeprecation(responses as Record<string, Node>, deprecated);
      const bodies = [operation['requestBody'], ...Object.values((operation['responses'] ?? {}) as Record<string, Node>)] as Array<Node | undefined>;
      for (const body of bodies) {
        const content = (body?.['content'] ?? {}) as Record<string, Node>;
        for (const [mediaType, media] of Object.entries(content)) {
          if (media['example'] !== undefined || media['examples'] !== undefined || !isJson(mediaType) || media['schema'] === undefined) continue;
          media['example'] = exampleOf(media['schema'] as Node, components);
        }
      }
    }
  }
  return finished;
}

/**
 * The headers the edge sets on every answer of a deprecated route (DEPRECATED_ROUTES): on each of its
 * responses but those answered before routing (414, 431); a 400 may be the router's bad-url, so
 * there they are not required.
 */
function declareDeprecation(responses: Record<string, Node>, deprecated: { readonly since: string; readonly successor: string }): void {
  for (const [status, response] of Object.entries(responses)) {
    if (status === '414' || status === '431') continue;
    const required = status !== '400';
    response['headers'] = {
      ...(response['headers'] as Node | undefined),
      Deprecation: {
        required, description: 'RFC 9745: this route is deprecated, since the moment given (a Structured Field Date, seconds since the epoch).',
        schema: { type: 'string', pattern: '^@-?[0-9]+$', example: deprecated.since },
      },
      Link: {
        required, description: 'RFC 8288: the route that replaces this one, as rel="successor-version".',
        schema: { type: 'string', example: `<${deprecated.successor}>; rel="successor-version"` },
      },
    };
  }
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType === PROBLEM_CONTENT_TYPE;

/** Applies `change` to every schema object of the document, depth first (children before parents). */
function walkSchemas(document: Node, change: (schema: Node) => Node): void {
  const visit = (schema: Node): Node => {
    const next: Node = { ...schema };
    for (const key of ['items', 'additionalProperties', 'not'] as const) {
      if (isObject(next[key])) next[key] = visit(next[key] as Node);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
      if (Array.isArray(next[key])) next[key] = (next[key] as Node[]).map(visit);
    }
    if (isObject(next['properties'])) next['properties'] = Object.fromEntries(Object.entries(next['properties'] as Record<string, Node>).map(([name, value]) => [name, visit(value)]));
    return change(next);
  };
  const components = document['components'] as Node | undefined;
  const schemas = components?.['schemas'] as Record<string, Node> | undefined;
  if (schemas) for (const name of Object.keys(schemas)) schemas[name] = visit(schemas[name]!);
  const holders: Node[] = [];
  for (const path of Object.values(document['paths'] as Record<string, Record<string, Node>>)) {
    for (const operation of Object.values(path)) {
      holders.push(...((operation['parameters'] ?? []) as Node[]));
      for (const body of [operation['requestBody'], ...Object.values((operation['responses'] ?? {}) as Record<string, Node>)] as Array<Node | undefined>) {
        holders.push(...Object.values((body?.['content'] ?? {}) as Record<string, Node>));
        holders.push(...Object.values((body?.['headers'] ?? {}) as Record<string, Node>));
      }
    }
  }
  for (const holder of holders) if (isObject(holder['schema'])) holder['schema'] = visit(holder['schema'] as Node);
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema 2020-12 says it. */
function withoutNullable(schema: Node): Node {
  if (schema['nullable'] === undefined) return schema;
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  const composed = ['$ref', 'allOf', 'anyOf', 'oneOf'].some((key) => key in rest);
  if (!composed && typeof rest['type'] === 'string') {
    return { ...rest, type: [rest['type'], 'null'], ...(Array.isArray(rest['enum']) ? { enum: [...(rest['enum'] as unknown[]), null] } : {}) };
  }
  // A reference (nest writes { type: 'object', allOf: [{ $ref }] }) or a composition: it, or null.
  const { description, example, allOf, type: _object, ...others } = rest;
  const branch = Array.isArray(allOf) && allOf.length === 1 && Object.keys(others).length === 0 ? allOf[0] as Node : { ...others, ...(allOf ? { allOf } : {}) };
  return { ...(description === undefined ? {} : { description }), anyOf: [branch, { type: 'null' }], ...(example === undefined ? {} : { example }) };
}

const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

const EXAMPLE_BY_FORMAT: Record<string, string> = {
  'date-time': '2026-03-01T09:30:00.000Z',
  date: '2026-03-01',
  uuid: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e',
  uri: 'https://complaint-desk.dev/problems/not-received',
  'uri-reference': '/complaints/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e',
};

/** An example value of a schema: its own example, else one made of its parts' (the first branch of a choice). */
export function exampleOf(schema: Node, components: Record<string, Node>, depth = 0): unknown {
  if (depth > 12) return undefined;
  if (schema['example'] !== undefined) return schema['example'];
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return schema['examples'][0];
  if (typeof schema['$ref'] === 'string') return exampleOf(components[(schema['$ref'] as string).split('/').pop()!] ?? {}, components, depth + 1);
  if (schema['default'] !== undefined) return schema['default'];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = (schema[key] as Node[] | undefined)?.filter((branch) => branch['type'] !== 'null');
    if (branches?.length) return exampleOf(branches[0]!, components, depth + 1);
  }
  if (Array.isArray(schema['allOf'])) return Object.assign({}, ...(schema['allOf'] as Node[]).map((part) => exampleOf(part, components, depth + 1)));
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).find((value) => value !== null) ?? null;
  const type = Array.isArray(schema['type']) ? (schema['type'] as string[]).find((one) => one !== 'null') : schema['type'] as string | undefined;
  switch (type) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Record<string, Node>;
      return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, exampleOf(property, components, depth + 1)]).filter(([, value]) => value !== undefined));
    }
    case 'array':
      return isObject(schema['items']) ? [exampleOf(schema['items'], components, depth + 1)].filter((value) => value !== undefined) : [];
    case 'string':
      return EXAMPLE_BY_FORMAT[schema['format'] as string] ?? 'text';
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return properties(schema) ? exampleOf({ ...schema, type: 'object' }, components, depth) : undefined;
  }
}

const properties = (schema: Node) => isObject(schema['properties']);
