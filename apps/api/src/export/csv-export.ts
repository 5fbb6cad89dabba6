import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSV_CONTENT_TYPE, negotiateFormat, type ExportFormat } from './export-format';
import { csvStream, type CsvColumn } from './csv-table';

/** The query fields every exportable route takes (ExportOptions in query.dto.ts). */
export interface ExportOptions {
  readonly format?: ExportFormat;
  readonly bom?: string;
}

/** Answers a list or statistics route as a CSV file, named for the route and the day (UTC). */
export class CsvExport {
  constructor(private readonly now: () => Date) {}

  /** JSON or CSV for this request (format, else Accept); caches are told the answer depends on Accept. */
  formatOf(query: ExportOptions, request: FastifyRequest, reply: FastifyReply): ExportFormat {
    void reply.header('Vary', 'Accept');
    return negotiateFormat(query.format, request.headers.accept);
  }

  /** `fileTag`: ASCII letters, digits and dashes the file name ends with after the day (what a saved file should keep, as a chain's verdict). */
  send<Row>(reply: FastifyReply, name: string, columns: ReadonlyArray<CsvColumn<Row>>, rows: AsyncIterable<Row> | Iterable<Row>, query: ExportOptions, fileTag?: string): Readable {
    const day = this.now().toISOString().slice(0, 10);
    void reply.header('Content-Type', CSV_CONTENT_TYPE).header('Content-Disposition', `attachment; filename="${name}-${day}${fileTag ? `-${fileTag}` : ''}.csv"`);
    return csvStream(columns, rows, { bom: query.bom === '1' || query.bom === 'true' });
  }
}
