/**
 * What the start-up completions' checkpoint saves (ADR 0012, "Start-up completions from a checkpoint"):
 * the survey-campaign completion run over a log of completed campaigns and other events, reading the
 * whole log (as every start did before) against reading from the checkpoint left by the previous start
 * with a few campaigns recorded since. Interleaved repetitions, one process, a temporary SQLite log.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/start-completions.ts [--campaigns N] [--filler N] [--reps N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SurveyCampaignCommandExecutor, SurveyCampaignCompletion, SurveyCampaignRepository, type SendSatisfactionSurveyHandler } from '@app/after-sales';
import { SystemClock } from '@app/complaints';
import { SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS, surveyCampaignStreamName } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';

const option = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const campaigns = option('campaigns', 2000);
const filler = option('filler', 50_000);
const reps = option('reps', 5);

let ids = 0;
const eventId = () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`;
const by = { id: 'sup-bench', role: 'supervisor' };

/** A campaign run and completed, as the completion finds one that needs nothing. */
async function completedCampaign(store: SqliteEventStore, n: number, completed = true): Promise<void> {
  const campaignId = `bench-${n}`;
  const metadata = (type: keyof typeof SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS) => ({ commandId: `command-${n}`, schemaVersion: SURVEY_CAMPAIGN_EVENT_SCHEMA_VERSIONS[type] });
  const run = { eventId: eventId(), type: 'SurveyCampaignRun', metadata: metadata('SurveyCampaignRun'), data: {
    campaignId, runAt: '2026-03-02T08:00:00.000Z', by, segments: { driverType: 'taxi' }, channel: 'phone', reason: 'bench', questions: null, selected: [{ customerId: `cust-${n}`, complaintId: null }],
  } };
  const done = { eventId: eventId(), type: 'SurveyCampaignCompleted', metadata: metadata('SurveyCampaignCompleted'), data: { campaignId, completedAt: '2026-03-02T08:00:01.000Z', matched: 1, sent: 0, skipped: { 'no-subject': 1 } } };
  await store.append(surveyCampaignStreamName(campaignId), completed ? [run, done] : [run]);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-completions-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    for (let start = 0; start < filler; start += 1000) {
      await store.append(`filler-${start}`, Array.from({ length: Math.min(1000, filler - start) }, () => ({ eventId: eventId(), type: 'ComplaintNoteAdded', data: { note: 'x' }, metadata: {} })));
    }
    for (let n = 0; n < campaigns; n += 1) await completedCampaign(store, n);
    const checkpoint = await store.headPosition();
    // Recorded since the previous start: a few campaigns, one cut short.
    for (let n = campaigns; n < campaigns + 10; n += 1) await completedCampaign(store, n, n !== campaigns);
    const repository = new SurveyCampaignRepository(store);
    const send = { execute: async () => ({ id: 'x', revision: 0, position: 0 }) } as unknown as SendSatisfactionSurveyHandler;
    const completion = new SurveyCampaignCompletion(new SurveyCampaignCommandExecutor(store, repository, new SystemClock()), repository, send, store);
    await completion.completeAll(checkpoint); // completes the one cut short, so every repetition reads the same
    const times = { whole: [] as number[], checkpoint: [] as number[] };
    for (let rep = 0; rep < reps; rep += 1) {
      for (const [name, after] of (rep % 2 === 0 ? [['whole', 0], ['checkpoint', checkpoint]] : [['checkpoint', checkpoint], ['whole', 0]]) as Array<[keyof typeof times, number]>) {
        const began = performance.now();
        await completion.completeAll(after);
        times[name].push(performance.now() - began);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(`log: ${filler} other events, ${campaigns} completed campaigns before the checkpoint, 10 after; ${reps} interleaved repetitions`);
    console.log(`whole log (baseline): median ${median(times.whole).toFixed(1)} ms`);
    console.log(`from the checkpoint:  median ${median(times.checkpoint).toFixed(1)} ms`);
    console.log(`ratio baseline / checkpoint: ${(median(times.whole) / median(times.checkpoint)).toFixed(1)}×`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
