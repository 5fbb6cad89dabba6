import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { finalize, from, mergeMap, tap, type Observable } from 'rxjs';
import type { Principal } from '../access/access-control.service';
import { ConcurrencyLimiter, FairTurns, HEAVY_READS } from './heavy-reads';

/**
 * Runs a heavy read only once its principal has a place (see HEAVY_READS), and then only on its
 * turn (FairTurns). It runs after the guard, so the principal is known and a refused token never
 * takes a place; the place is given back when the handler's answer is ready (a streamed answer:
 * when it has been sent), or when the caller hangs up while waiting for one. Put on each heavy read's
 * handler (HeavyRead), not on every route: any interceptor on a route costs Nest's interceptor chain
 * (rxjs, two AsyncResource.bind) on every request to it, commands included (docs/adr/0003).
 */
@Injectable()
export class HeavyReadInterceptor implements NestInterceptor {
  private readonly turns = new FairTurns();

  constructor(private readonly limiter: ConcurrencyLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = request.principal;
    if (!this.limiter.enabled || !principal || !HEAVY_READS.has(`${request.method} ${request.routeOptions.url}`)) return next.handle();
    // The response closes before it is written only when the connection went away.
    const response = context.switchToHttp().getResponse<FastifyReply>().raw;
    const gone = new AbortController();
    const onClose = () => gone.abort();
    response.once('close', onClose);
    const key = principal.actor.id;
    const admitted = this.limiter.acquire(key, gone.signal).then(async (release) => {
      await this.turns.turn(key);
      return release;
    });
    return from(admitted).pipe(
      mergeMap((release) => {
        let streaming = false;
        return next.handle().pipe(
          tap((answer) => {
            streaming = answer instanceof Readable;
          }),
          finalize(() => {
            response.off('close', onClose);
            // A streamed answer (a CSV export) is read as it is written: its place is held until the response is over.
            if (streaming && !response.closed) response.once('close', release);
            else release();
          }),
        );
      }),
    );
  }
}

/** Marks a handler as a heavy read (its route in HEAVY_READS; the interceptor's spec checks that the two agree). */
export const HeavyRead = (): MethodDecorator => UseInterceptors(HeavyReadInterceptor);
