import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { TestResponse } from './test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is JSON under test */
type Json = Record<string, any>;

export interface Operation {
  readonly route: string;
  readonly operation: Json;
}

/** "POST /complaints/:id/validate" (fastify's and the role matrix's notation) → ["post", "/complaints/{id}/validate"]. */
export const openApiPathOf = (route: string): [string, string] => {
  const [method, path] = route.split(' ') as [string, string];
  return [method.toLowerCase(), path.replace(/:(\w+)/g, '{$1}')];
};

/** Every operation of the document as "METHOD /path/:param". */
export function operationsOf(document: Json): Operation[] {
  return Object.entries(document['paths'] as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation })));
}

/**
 * Checks real answers against the served OpenAPI document: the status must be one the operation
 * lists, its media type one the status lists, its required headers present, and a JSON body valid
 * against the schema, with every object closed (see `closed`).
 */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** "METHOD /path status" of every answer checked. */
  readonly seen = new Set<string>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    // OpenAPI's own keywords inside schemas: annotations, nothing to check.
    for (const keyword of ['example', 'xml', 'externalDocs', 'discriminator']) this.ajv.addKeyword(keyword);
    this.ajv.addSchema({ $id: 'openapi', $defs: rebase(closed(document['components']['schemas'])) });
  }

  operation(route: string): Json | undefined {
    const [method, path] = openApiPathOf(route);
    return this.document['paths'][path]?.[method];
  }

  /** The reasons this answer breaks the contract of `route` (empty: it keeps it). */
  problems(route: string, answer: { status: number; headers: Headers; body: unknown }): string[] {
    const operation = this.operation(route);
    if (!operation) return [`${route} is not in the document`];
    this.seen.add(`${route} ${answer.status}`);
    const documented = operation['responses'][String(answer.status)];
    if (!documented) return [`${route} answered ${answer.status}, which its document does not list (it lists ${Object.keys(operation['responses']).join(', ')})`];
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const problems: string[] = [];
    for (const [name, header] of Object.entries((documented['headers'] ?? {}) as Json)) {
      if (header.required === true && !answer.headers.has(name)) problems.push(`${route} ${answer.status}: the required header ${name} is missing`);
      if (name === 'Content-Disposition' && mediaType === 'text/csv' && !answer.headers.has(name)) problems.push(`${route} ${answer.status}: a CSV answer without Content-Disposition`);
    }
    if (answer.status === 204 || (answer.body === undefined && !mediaType)) {
      if (documented['content']) problems.push(`${route} ${answer.status}: no body, but the document describes one`);
      return problems;
    }
    const media = documented['content']?.[mediaType];
    if (!media) return [...problems, `${route} ${answer.status}: answered ${mediaType}, the document lists ${Object.keys(documented['content'] ?? {}).join(', ') || 'no body'}`];
    if (mediaType.endsWith('json')) {
      const validate = this.validator(media['schema']);
      if (!validate(answer.body)) problems.push(`${route} ${answer.status}: the body does not match its schema: ${errorsOf(validate)} — body ${JSON.stringify(answer.body).slice(0, 400)}`);
    }
    return problems;
  }

  /** For expect(): the answer, after checking it keeps the contract (throws with the reasons otherwise). */
  check<T extends Pick<TestResponse, 'status' | 'headers' | 'body'>>(route: string, answer: T): T {
    const problems = this.problems(route, answer);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return answer;
  }

  /** Validates a value against a schema of the document (closed, like the answers). */
  validates(schema: Json, value: unknown): string | undefined {
    const validate = this.validator(schema);
    return validate(value) ? undefined : errorsOf(validate);
  }

  private validator(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(closed(schema)));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** Ajv's errors with what they name (the extra property, the allowed values …). */
const errorsOf = (validate: ValidateFunction): string => (validate.errors ?? [])
  .map((error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`).join('; ');

/**
 * The document leaves objects open: a client must ignore fields added later. The contract test
 * closes every object that lists its properties, so a field the server sends and the document does
 * not describe fails it.
 */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'example' ? value : closed(value)]));
  if (copy['properties'] && copy['additionalProperties'] === undefined) copy['additionalProperties'] = false;
  return copy;
}

/** References into the document's components, as references into the schema registered as "openapi". */
function rebase(schema: unknown): any {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"openapi#/$defs/'));
}
