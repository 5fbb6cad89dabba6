import { Injectable, type PipeTransform } from '@nestjs/common';
import { AgentNotFoundError, asciiShown, EngineerNotFoundError, ProductNotFoundError, ServiceUnitNotFoundError, WorkOrderNotFoundError, SERIAL_NUMBER_RULE, canonicalSerialNumber, isDepartmentCode, isSerialNumber, principalKey } from '@app/domain';
import { isUuid } from '@app/event-sourcing';

/** What a refusal repeats of a path segment, for every path pipe: escaped, then never all of a long one (so the ellipsis stays one character). */
const shown = (value: string): string => (value.length > 100 ? `${asciiShown(value.slice(0, 100))}…` : asciiShown(value));

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
    const typed: string = canonical; // as text for the refusal below, where the guard has narrowed canonical away
    if (isSerialNumber(canonical)) return canonical;
    throw new ProductNotFoundError(shown(typed), `it cannot be one, which is ${SERIAL_NUMBER_RULE}`);
  }
}

/** A unit code that is not a plain code names no unit. */
@Injectable()
export class ServiceUnitCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isDepartmentCode(value)) throw new ServiceUnitNotFoundError(shown(value));
    return value;
  }
}

/** Whether a person's id in a path can name someone: a plain code once folded as principal ids are (ENG-SUN, ｅｎｇ-ｓｕｎ); the directory finds the person by personById. */
const canBePersonId = (value: string): boolean => value.length <= 200 && isDepartmentCode(principalKey(value));

/** An agent id that cannot be a plain code names no agent. */
@Injectable()
export class AgentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!canBePersonId(value)) throw new AgentNotFoundError(value); // escaped by the error, as the directory's own refusal is
    return value;
  }
}

/** An engineer id that cannot be a plain code names no engineer. */
@Injectable()
export class EngineerIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!canBePersonId(value)) throw new EngineerNotFoundError(value); // escaped by the error, as the directory's own refusal is
    return value;
  }
}
