#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: a fresh data dir, the CFPB main extract (62,516 Bank of America complaints)
 * imported as event history, a GENERATED repair history beside it (CFPB has no repairs: a service
 * network and REPAIR_ORDERS work orders, default 6,000, reported over the past year by the real
 * deciders; bench/repair-history.ts), then the server on it, with tokens and example queries printed.
 * Run by `npm run demo` after the build; DATA_DIR (default ./data/demo) must be new or the default.
 */
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, openSync } = require('node:fs');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const defaultDir = join(root, 'data', 'demo');
const dataDir = resolve(process.env.DATA_DIR ?? defaultDir);
const port = process.env.PORT ?? '3000';
if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  process.stderr.write(`demo: PORT must be a TCP port number from 1 to 65535 (got ${port})\n`);
  process.exit(2);
}
const base = `http://localhost:${port}`;
const extract = join(root, 'datasets', 'cfpb', 'cfpb-bofa-2017-2023.csv.gz');
const repairOrders = process.env.REPAIR_ORDERS ?? '6000';
if (!/^\d{1,7}$/.test(repairOrders)) {
  process.stderr.write(`demo: REPAIR_ORDERS must be a whole number of work orders (got ${repairOrders})\n`);
  process.exit(2);
}

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

/** Whether nothing listens on the port yet: the demo's server must be the one that answers there. */
function portFree() {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(Number(port), () => probe.close(() => done(true)));
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

let server;
let imported;
let repairReport;
const stop = () => server?.kill('SIGTERM');

async function main() {
  if (!(await portFree())) fail(`port ${port} is taken: stop the server that listens there, or run the demo on another port (PORT=3001 npm run demo)`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    if (dataDir !== defaultDir) fail(`${dataDir} is not empty; the demo needs a fresh DATA_DIR (or leave DATA_DIR unset to use ./data/demo)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env, DATA_DIR: dataDir, PORT: port };

  process.stderr.write(`1/4 importing ${extract} into ${dataDir}\n`);
  imported = spawnSync(process.execPath, [join(root, 'dist/apps/cli/apps/cli/src/main.js'), 'import-cfpb', extract, '--company', 'Bank of America', '--customer-key', 'zip'], {
    env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
  });
  if (imported.status !== 0) fail('the import failed (see above)');
  writeFileSync(join(dataDir, 'import-report.json'), imported.stdout);

  process.stderr.write(`2/4 generating a repair history (${repairOrders} work orders over the past year; generated, not real data)\n`);
  const repairs = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(root, 'bench', 'repair-history.ts'), dataDir, repairOrders], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (repairs.status !== 0) fail('generating the repair history failed (see above)');
  repairReport = JSON.parse(repairs.stdout.toString('utf8'));

  process.stderr.write(`3/4 starting the server on ${base}; the projections read the imported history\n`);
  const serverLog = join(dataDir, 'server.log');
  server = spawn(process.execPath, [join(root, 'dist/apps/api/apps/api/src/main.js')], { env, stdio: ['ignore', openSync(serverLog, 'a'), 'inherit'] });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));

  let head;
  for (let attempt = 0; head === undefined; attempt += 1) {
    if (attempt > 600) fail('the server did not answer /health within a minute');
    try {
      head = (await (await fetch(`${base}/health`)).json()).eventStore.headPosition;
    } catch {
      await sleep(100);
    }
  }
  const tokens = JSON.parse(readFileSync(join(dataDir, 'tokens.json'), 'utf8'));
  const analyst = tokens.find((entry) => entry.role === 'analyst').token;
  const auditor = tokens.find((entry) => entry.role === 'auditor').token;
  // A connection reset while the read models catch up on a loaded machine is not the end of the demo:
  // it asks again, and gives up only after a minute without an answer.
  for (let failures = 0; ;) {
    let response;
    try {
      response = await fetch(`${base}/complaints?limit=1`, { headers: { authorization: `Bearer ${analyst}` } });
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures >= 30) throw new Error(`the server did not answer for a minute (${error instanceof Error ? error.message : String(error)}); its log is ${serverLog}`);
      await sleep(2000);
      continue;
    }
    const position = Number(response.headers.get('x-read-model-position') ?? 0);
    process.stderr.write(`\r    read models at position ${position.toLocaleString('en-US')} of ${head.toLocaleString('en-US')}`);
    if (position >= head) break;
    await sleep(2000);
  }
  const report = JSON.parse(imported.stdout.toString('utf8'));
  const sample = '4848023';
  const { complaintIdOfCfpb } = require(join(root, 'dist/apps/cli/apps/cli/src/cfpb/cfpb-history.js'));
  process.stdout.write(`
4/4 Complaint Desk runs on ${report.imported.toLocaleString('en-US')} real CFPB complaints (${report.events.toLocaleString('en-US')} events)
    and ${repairReport.workOrders.toLocaleString('en-US')} generated repair work orders (${repairReport.events.toLocaleString('en-US')} events; not real data).
    API ${base}   OpenAPI ${base}/docs   import report ${join(dataDir, 'import-report.json')}
    Tokens (${join(dataDir, 'tokens.json')}):
${tokens.map((entry) => `      ${entry.role.padEnd(10)} ${entry.token}`).join('\n')}

    SLA compliance per clock (CFPB's 15 days; the file itself says ${report.timely.yes.toLocaleString('en-US')} timely, ${report.timely.no.toLocaleString('en-US')} not):
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/sla/compliance?by=clock'
    Complaints by channel per month of 2023:
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/stats/complaints?by=channel&interval=month&from=2023-01-01'
    The least loyal customers (CFPB names nobody: a customer here is a ZIP area, --customer-key zip) with their factors, and one's file:
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/customers?sort=score&limit=10'
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/customers/files?limit=10'
    The audit trail of CFPB complaint ${sample}:
      curl -s -H 'Authorization: Bearer ${auditor}' '${base}/complaints/${complaintIdOfCfpb(sample)}/trail'
    The dispatch board of the generated repairs (open orders, soonest deadline first), and the overdue ones of one station:
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/work-orders/board?limit=20'
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/work-orders/board?station=dandong-station&due=overdue'
    Engineer performance per quarter (first-time fix, repeat repairs, times to arrive and complete, satisfaction), and the fees per month:
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/stats/engineers?interval=quarter'
      curl -s -H 'Authorization: Bearer ${analyst}' '${base}/stats/repair-fees?interval=month&format=csv&bom=1' -o '${join(dataDir, 'repair-fees.csv')}'

    Ctrl-C stops the server; the data stays in ${dataDir}.
`);
}

main().catch((error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  stop();
});
