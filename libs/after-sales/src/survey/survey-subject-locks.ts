import { Injectable } from '@nestjs/common';

/**
 * One survey decision at a time per subject, in this process. A work order's surveys live on two
 * streams — the older per-order survey on the order's own stream, the survey aggregate's on its
 * numbered streams — so "one open survey per work order" read from the other stream and wrote to its
 * own, and two sends through the two routes at one moment could both pass. Taking turns per subject
 * closes that for every API on one process (the embedded default); API instances side by side still
 * need one stream both write (docs/adr/0012, "One open survey across both routes").
 */
@Injectable()
export class SurveySubjectLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async inTurn<T>(subject: { readonly kind: string; readonly id: string }, work: () => Promise<T>): Promise<T> {
    const key = `${subject.kind}\n${subject.id}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
