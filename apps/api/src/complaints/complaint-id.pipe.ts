import { Injectable, type PipeTransform } from '@nestjs/common';
import { ComplaintNotFoundError } from '@app/domain';
import { isUuid } from '@app/event-sourcing';

/** Any id that is not a UUID names no complaint. */
@Injectable()
export class ComplaintIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new ComplaintNotFoundError(value);
    return value.toLowerCase();
  }
}
