import { Injectable } from '@nestjs/common';
import { CAMPAIGN_SEGMENT_DIMENSIONS, followMerges, type CampaignSegments, type CampaignSelection, type DepartmentScope } from '@app/domain';
import { ComplaintListQuery, CustomerFilesQuery } from '@app/read-models';

/** Customer files read per page while a campaign selects its customers. */
const PAGE = 200;
/** The complaint statuses after a callback: a survey of the complaint may follow. */
const CALLED_BACK = ['closed', 'follow-up-required'] as const;

/**
 * Who a survey campaign reaches (issue 18): the customer files on record in the segment, each with
 * its latest complaint that has had its callback (or is closed), among its own and those of the files
 * merged into it (followed down the chain: a file merged into one merged later …); the customer is
 * the surviving file, never a merged-away one, and gets one survey. A reader limited to departments
 * reaches the customers with a complaint it sees (its departments', or one it received unassigned),
 * and surveys only such a complaint. Read from the read models, which may lag the log by a moment:
 * the survey's own decision, on the complaint's stream, has the last word (`subject-not-ready`).
 */
@Injectable()
export class SurveyCampaignAudience {
  constructor(
    private readonly files: CustomerFilesQuery,
    private readonly complaints: ComplaintListQuery,
  ) {}

  /** At most `max` customers, oldest file first. */
  async select(segments: CampaignSegments, reader: { readonly actorId: string; readonly scope: DepartmentScope }, max: number): Promise<CampaignSelection[]> {
    const filter: CampaignSegments = {};
    for (const dimension of CAMPAIGN_SEGMENT_DIMENSIONS) if (segments[dimension]) filter[dimension] = segments[dimension];
    const selected: CampaignSelection[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.files.files({ status: 'active', segments: filter }, { limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      for (const file of page.items) {
        const complaintId = await this.subjectOf([file.id, ...(await followMerges(file.absorbed, async (id) => (await this.files.file(id))?.absorbed ?? []))], reader);
        if (complaintId === undefined) continue;
        selected.push({ customerId: file.id, complaintId });
        if (selected.length >= max) return selected;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return selected;
  }

  /** The customer's latest complaint called back or closed, under any of its ids; null: none; undefined: not the reader's customer. */
  private async subjectOf(customerIds: readonly string[], reader: { readonly actorId: string; readonly scope: DepartmentScope }): Promise<string | null | undefined> {
    const latest = await Promise.all(customerIds.flatMap((customerId) => CALLED_BACK.map(async (status) => (await this.complaints.list({ customerId, status }, { limit: 1 }, undefined, reader)).items[0])));
    const newest = latest.filter((complaint) => complaint !== undefined).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
    if (newest) return newest.id;
    if (reader.scope === 'all') return null;
    for (const customerId of customerIds) if ((await this.complaints.list({ customerId }, { limit: 1 }, undefined, reader)).items.length > 0) return null;
    return undefined;
  }
}
