/**
 * `npm run docs:screenshots`: the README's pictures of the console, remade from a seeded demo.
 * A generated history (bench/replay.ts generate: about 1,500 complaints over a year and their repairs; generated,
 * not real data) in a scratch data dir, the built API serving the built console on it, and Debian's Chromium
 * headless (CHROMIUM_PATH, default /usr/bin/chromium) signed in as each role in turn: PNGs of 1280 × 800 into
 * docs/images/ (their zlib data compressed again at the highest level). Nothing else is written; the scratch
 * data dir is removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startServer } from '../bench/http/knee';
import { dashboardReady, queueReady } from '../bench/console/render';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'docs', 'images');
const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const COMPLAINTS = Number(process.env['SCREENSHOT_COMPLAINTS'] ?? 1500);
const ROLES = ['agent', 'supervisor', 'analyst', 'auditor'] as const;
type Role = (typeof ROLES)[number];
const TOKENS: Record<Role, string> = Object.fromEntries(ROLES.map((role) => [role, `docs-${role}-token-0123456789abcdef`])) as Record<Role, string>;

/** The same image, its IDAT data deflated again at level 9 in one chunk (Chromium writes it at a faster level). */
function recompressed(png: Buffer): Buffer {
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    chunks.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  const idat = deflateSync(inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data))), { level: 9, memLevel: 9 });
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, tail]);
  };
  const parts = [png.subarray(0, 8)];
  let written = false;
  for (const { type, data } of chunks) {
    if (type !== 'IDAT') parts.push(chunk(type, data));
    else if (!written) {
      parts.push(chunk('IDAT', idat));
      written = true;
    }
  }
  const smaller = Buffer.concat(parts);
  return smaller.length < png.length ? smaller : png;
}

async function get(base: string, path: string, role: Role): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's JSON
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKENS[role]}` } });
  return { status: response.status, body: await response.json() };
}

/** A page signed in as the role (the token in the tab's storage, as the sign-in form leaves it), in English or 中文. */
async function open(browser: Browser, base: string, role: Role, hash: string, language: 'en' | 'zh-CN' = 'en'): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: language, timezoneId: 'Asia/Shanghai' });
  await context.addInitScript({ content: `sessionStorage.setItem('complaint-desk.token', ${JSON.stringify(TOKENS[role])}); localStorage.setItem('complaint-desk.language', ${JSON.stringify(language)});` });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/${hash}`);
  await page.getByRole('navigation').waitFor();
  return { page, close: () => context.close() };
}

async function shoot(page: Page, name: string, fromY?: number): Promise<void> {
  // At rest: no pointer over a button, no animation half-way.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(600);
  // From a point of the page down (1280 × 800 of it), or what the window shows.
  const clip = fromY === undefined ? undefined : { x: 0, y: Math.max(0, fromY - 16), width: 1280, height: 800 };
  const png = recompressed(await page.screenshot({ type: 'png', ...(clip ? { fullPage: true, clip } : {}) }));
  writeFileSync(join(OUT, `${name}.png`), png);
  process.stderr.write(`  docs/images/${name}.png (${Math.round(png.length / 1024)} KB)\n`);
}

/**
 * The pictures show the language switch's 中文 (and zh-CN pages when asked): without a font that has Chinese
 * glyphs, Chromium draws boxes. Where fontconfig answers (Linux), its list of fonts for zh must not be empty.
 */
function checkChineseFont(): void {
  if (process.platform !== 'linux') return;
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  if (listed.error !== undefined || listed.status !== 0) return;
  if (listed.stdout.trim() === '') {
    throw new SetupError('no font with Chinese glyphs is installed, so the pictures would show 中文 as boxes: install one (Debian: sudo apt-get install fonts-wqy-microhei, or fonts-noto-cjk) and run again');
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(COMPLAINTS) || COMPLAINTS < 50) throw new Error('SCREENSHOT_COMPLAINTS must be a whole number ≥ 50');
  checkChineseFont();
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-screenshots-'));
  try {
    process.stderr.write(`generating a history of about ${COMPLAINTS} complaints (generated, not real data)\n`);
    const events = Math.ceil(COMPLAINTS * (5.4 + 14.2 / 8));
    const generated = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'bench', 'replay.ts'), 'generate', dataDir, String(events)], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (generated.status !== 0) throw new Error('generating the history failed');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const tokens = ROLES.map((role) => `${TOKENS[role]}:docs-${role}:${role}`).join(',');
    const processes = await startServer(dataDir, port, { API_TOKENS: tokens, CONSOLE_DIR: join(ROOT, 'dist', 'console') });
    try {
      const head = (await get(base, '/health', 'supervisor')).body.eventStore.headPosition as number;
      for (let attempt = 0; (await get(base, `/stats/loyalty?minPosition=${head}`, 'analyst')).status !== 200; attempt += 1) {
        if (attempt > 600) throw new Error('the read models did not catch up in 10 minutes');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      process.stderr.write('the read models hold the history; taking the pictures\n');
      mkdirSync(OUT, { recursive: true });
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
      try {
        let view = await open(browser, base, 'agent', '#/');
        await queueReady(view.page);
        await shoot(view.page, 'console-queue');
        await view.close();

        // A complaint with a long timeline: resolved and called back.
        const closed = (await get(base, '/complaints?status=closed&limit=1', 'supervisor')).body.items[0] ?? (await get(base, '/complaints?limit=1', 'supervisor')).body.items[0];
        view = await open(browser, base, 'supervisor', `#/complaints/${closed.id}`);
        await view.page.getByRole('heading', { name: /Complaint/ }).waitFor();
        await view.page.locator('.ant-timeline-item').first().waitFor();
        await shoot(view.page, 'console-complaint');
        await view.close();

        view = await open(browser, base, 'supervisor', '#/dispatch');
        await view.page.getByRole('tab').first().waitFor();
        await view.page.waitForLoadState('networkidle').catch(() => undefined);
        await shoot(view.page, 'console-dispatch');
        await view.close();

        // A repair that went through the station: dispatched, fees charged, closed.
        const repair = (await get(base, '/work-orders?status=closed&limit=1', 'supervisor')).body.items[0] ?? (await get(base, '/work-orders?limit=1', 'supervisor')).body.items[0];
        view = await open(browser, base, 'supervisor', `#/work-orders/${repair.id}`);
        await view.page.getByRole('heading', { name: new RegExp(repair.id.slice(0, 8)) }).waitFor();
        await view.page.waitForLoadState('networkidle').catch(() => undefined);
        await shoot(view.page, 'console-work-order');
        await view.close();

        view = await open(browser, base, 'supervisor', '#/service-network');
        await view.page.getByRole('button', { name: /^Deactivate / }).first().waitFor();
        await shoot(view.page, 'console-service-network');
        await view.close();

        view = await open(browser, base, 'analyst', '#/dashboard');
        await dashboardReady(view.page);
        await shoot(view.page, 'console-dashboard');
        const heatMap = view.page.getByTestId('compliance-heatmap');
        const top = (await heatMap.boundingBox())!.y;
        await shoot(view.page, 'console-dashboard-sla-loyalty', top - 48);
        await view.close();

        view = await open(browser, base, 'auditor', '#/audit');
        await view.page.getByRole('button', { name: 'Verify', exact: true }).click();
        await view.page.getByText(/Intact/).first().waitFor({ timeout: 120_000 });
        await shoot(view.page, 'console-audit');
        await view.close();
      } finally {
        await browser.close();
      }
    } finally {
      for (const child of processes) child.kill('SIGTERM');
      await Promise.all(processes.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.seals`, { recursive: true, force: true });
  }
}

/** A fault of the machine said in one line; anything else with its stack. */
class SetupError extends Error {}

main().catch((error: unknown) => {
  process.stderr.write(`docs:screenshots failed: ${error instanceof SetupError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
