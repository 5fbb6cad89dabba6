import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { RequestMethod, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { lastValueFrom, of } from 'rxjs';
import { ConcurrencyLimiter, HEAVY_READS } from './heavy-reads';
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

/** Every route of the API's controllers, as `GET /complaints/:id`, with the interceptors it names. */
function routes(): Array<{ route: string; interceptors: unknown[] }> {
  const source = join(__dirname, '..');
  const files = (readdirSync(source, { recursive: true }) as string[]).filter((file) => file.endsWith('.controller.ts'));
  const found: Array<{ route: string; interceptors: unknown[] }> = [];
  for (const file of files) {
    for (const exported of Object.values(require(join(source, file)) as Record<string, unknown>)) {
      if (typeof exported !== 'function' || Reflect.getMetadata(PATH_METADATA, exported) === undefined) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, exported));
      for (const name of Object.getOwnPropertyNames(exported.prototype)) {
        const handler = (exported.prototype as Record<string, unknown>)[name];
        const method = typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined : undefined;
        if (method === undefined) continue;
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler as object))].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
        found.push({ route: `${RequestMethod[method]} ${path}`, interceptors: Reflect.getMetadata(INTERCEPTORS_METADATA, handler as object) ?? [] });
      }
      expect(Reflect.getMetadata(INTERCEPTORS_METADATA, exported) ?? []).toEqual([]);
    }
  }
  return found;
}

describe('where the heavy-read interceptor runs', () => {
  // An interceptor anywhere on a route costs Nest's interceptor chain on every request to it (rxjs, two AsyncResource.bind): docs/adr/0003.
  it('is on each heavy read, and no other route runs an interceptor: commands skip the chain', () => {
    const found = routes();
    expect(found.length).toBeGreaterThan(50);
    expect(found.filter(({ interceptors }) => interceptors.length > 0).map(({ route }) => route).sort()).toEqual([...HEAVY_READS].sort());
    for (const { interceptors } of found) expect(interceptors.every((each) => each === HeavyReadInterceptor)).toBe(true);
  });

  it('is not registered for every route (APP_INTERCEPTOR)', () => {
    expect(readFileSync(join(__dirname, '..', 'app.module.ts'), 'utf8')).not.toMatch(/APP_INTERCEPTOR/);
  });
});
