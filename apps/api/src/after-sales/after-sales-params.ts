import { Injectable, type PipeTransform } from '@nestjs/common';
import { AgentNotFoundError, EngineerNotFoundError, ProductNotFoundError, ServiceUnitNotFoundError, WorkOrderNotFoundError, canonicalSerialNumber, isDepartmentCode, isSerialNumber } from '@app/domain';
import { isUuid } from '@app/event-sourcing';

/** What a refusal repeats of a path segment: never all of a long one. */
const shown = (value: string): string => (value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** Any id that is not a UUID names no work order. */
@Injectable()
export class WorkOrderIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new WorkOrderNotFoundError(shown(value));
    return value.toLowerCase();
  }
}

/** A serial number as typed (any case): its canonical form, or "not found" when it cannot be one. */
@Injectable()
export class SerialNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const canonical = value.length <= 200 ? canonicalSerialNumber(value) : value;
    const named = shown(canonical);
    if (!isSerialNumber(canonical)) throw new ProductNotFoundError(named);
    return canonical;
  }
}

/** A unit code that is not a plain code names no unit. */
@Injectable()
export class ServiceUnitCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const named = shown(value);
    if (!isDepartmentCode(value)) throw new ServiceUnitNotFoundError(named);
    return value;
  }
}

/** An engineer id that is not a plain code names no engineer. */
@Injectable()
export class AgentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isDepartmentCode(value)) throw new AgentNotFoundError(shown(value));
    return value;
  }
}

export class EngineerIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const named = shown(value);
    if (!isDepartmentCode(value)) throw new EngineerNotFoundError(named);
    return value;
  }
}
