import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { ConcurrencyLimiter } from './heavy-reads';
import { HeavyReadInterceptor } from './heavy-read.interceptor';

/** A heavy read of principal li, with the raw response it would be written to. */
function heavyRead() {
  const response = Object.assign(new EventEmitter(), { closed: false });
  const request = { method: 'GET', routeOptions: { url: '/complaints' }, principal: { actor: { id: 'li' } } };
  const context = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ raw: response }) }) } as unknown as ExecutionContext;
  const close = () => {
    response.closed = true;
    response.emit('close');
  };
  return { context, close };
}

const answering = (answer: unknown): CallHandler => ({ handle: () => of(answer) });

describe('HeavyReadInterceptor', () => {
  it('gives the place back when a JSON answer is ready', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 0, waitMs: 0 });
    const { context } = heavyRead();
    await lastValueFrom(new HeavyReadInterceptor(limiter).intercept(context, answering({ items: [] })));
    expect(limiter.size).toBe(0);
  });

  it('holds the place of a streamed answer (a CSV export) until its response is over', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 0, waitMs: 0 });
    const interceptor = new HeavyReadInterceptor(limiter);
    const first = heavyRead();
    const stream = await lastValueFrom(interceptor.intercept(first.context, answering(Readable.from(['a,b\r\n']))));
    expect(stream).toBeInstanceOf(Readable);
    expect(limiter.size).toBe(1);
    await expect(lastValueFrom(interceptor.intercept(heavyRead().context, answering({ items: [] })))).rejects.toThrow(/Too many expensive reads/);
    first.close();
    expect(limiter.size).toBe(0);
    await expect(lastValueFrom(interceptor.intercept(heavyRead().context, answering({ items: [] })))).resolves.toEqual({ items: [] });
  });
});
