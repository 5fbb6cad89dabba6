import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The placeholder the console's index.html carries where each answer puts its nonce (apps/console/index.html). */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The console's policy. Scripts, fonts, images and requests come from this origin only, nothing
 * inline runs (no 'unsafe-inline' or 'unsafe-eval' for scripts), nothing frames the page. Styles:
 * the components' come in the build's style sheet (from this origin); Ant Design writes only its
 * design tokens (CSS variables) into <style> elements at run time, and each page load gets a nonce
 * that only those elements carry, so no inline style an attacker injects applies either. img-src
 * adds data: for the few icons the components draw as data URLs.
 */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'none'", "script-src 'self'", `style-src 'self' 'nonce-${nonce}'`, "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "manifest-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "object-src 'none'",
  ].join('; ');
}

/**
 * Serves the built console (npm run build:console) at / and its hashed assets under /assets/;
 * every API route keeps its path. Returns false when the directory holds no build.
 */
export async function serveConsole(app: NestFastifyApplication, dir: string): Promise<boolean> {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile, 'utf8');
  if (!index.includes(NONCE_PLACEHOLDER)) throw new Error(`${indexFile} has no ${NONCE_PLACEHOLDER} placeholder: build it with npm run build:console`);
  // Only the files of the build (wildcard: false lists them at start), so an unknown path is still the API's 404.
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each script and style sheet: sent to browsers that accept them.
    preCompressed: true,
    // Names carry a content hash: a file never changes under its name.
    setHeaders: (reply) => { void reply.header('Cache-Control', 'public, max-age=31536000, immutable'); },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const page = (_request: unknown, reply: import('fastify').FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    void reply
      .header('Content-Security-Policy', consoleCsp(nonce))
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(index.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  fastify.get('/', page);
  fastify.get('/index.html', page);
  return true;
}
