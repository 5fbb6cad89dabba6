import { applyDecorators, Injectable, UseGuards, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError, type FieldError } from './request-errors';
import { strictValidationPipe } from './strict-validation.pipe';

const REFUSAL = Symbol('refusesIdempotencyKey');

interface Refusal {
  readonly body: Type<unknown>;
  readonly route: string;
  readonly repeat: string;
}

/**
 * A POST that is no command takes no Idempotency-Key. One sent there used to be ignored, and its sender would think a repeat
 * safe: a 400 naming the header, saying what a repeat does instead. Checked by a guard, so before the body is validated and
 * before anything is written (the handler refused it only once the body had passed, so a bad body and a key named the body
 * alone, and the key was found on the next try): the body's faults of form, checked here as the validation pipe checks them,
 * come in the same 400, after the header's. What only the handler judges (as-of's `until` day, the directory's units) is not.
 */
export function RefusesIdempotencyKey(body: Type<unknown>, route: string, repeat: string): MethodDecorator {
  return applyDecorators((target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    Reflect.defineMetadata(REFUSAL, { body, route, repeat } satisfies Refusal, descriptor.value as object);
  }, UseGuards(NoIdempotencyKeyGuard));
}

/** The field error of an Idempotency-Key sent to a route that takes none. */
export const idempotencyKeyRefusal = (route: string, repeat: string): FieldError => ({
  field: 'Idempotency-Key', message: `${route} takes no Idempotency-Key: ${repeat}. Send it without the header`,
});

@Injectable()
export class NoIdempotencyKeyGuard implements CanActivate {
  private readonly pipe = strictValidationPipe();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const refusal = Reflect.getMetadata(REFUSAL, context.getHandler()) as Refusal | undefined;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (refusal === undefined || request.headers['idempotency-key'] === undefined) return true;
    const bodyFaults = await this.pipe.transform(request.body, { type: 'body', metatype: refusal.body, data: '' })
      .then(() => [], (error: unknown) => (error instanceof RequestValidationError ? error.errors : []));
    throw new RequestValidationError([idempotencyKeyRefusal(refusal.route, refusal.repeat), ...bodyFaults]);
  }
}
