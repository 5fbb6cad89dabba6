import { Injectable, type PipeTransform } from '@nestjs/common';
import { CUSTOMER_ID_PATTERN, CustomerFileNotFoundError } from '@app/domain';

const CUSTOMER_ID = new RegExp(CUSTOMER_ID_PATTERN);

/** An id that no customer can have (customer-<id> names a stream) names no file. */
@Injectable()
export class CustomerIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CUSTOMER_ID.test(value)) throw new CustomerFileNotFoundError(value.slice(0, 100));
    return value;
  }
}
