/** Turns the data of one schema version of an event type into the next version's. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * How the events of one aggregate are versioned: the schema version of each type as written today,
 * and for a type with more than one, `upcasters[type][v]` turning version v into v + 1.
 */
export interface EventVersioning<Type extends string> {
  readonly versions: Readonly<Record<Type, number>>;
  readonly upcasters?: Partial<Record<Type, Readonly<Record<number, Upcaster>>>>;
}

/**
 * A stored event's data in today's shape, whatever version it was written in; stored events are
 * never rewritten. The version is asked for only when the type has more than one (reading it may
 * parse metadata), and data already current is returned as it is.
 */
export function upcastEventData<Type extends string>(
  versioning: EventVersioning<Type>,
  type: string,
  data: Record<string, unknown>,
  schemaVersion: () => unknown,
): Record<string, unknown> {
  const known = type as Type;
  const target = Object.prototype.hasOwnProperty.call(versioning.versions, type) ? versioning.versions[known] : undefined;
  if (target === undefined || target === 1) return data;
  const stored = schemaVersion();
  let version = typeof stored === 'number' && Number.isInteger(stored) ? stored : 1;
  let upcast = data;
  while (version < target) {
    const step = versioning.upcasters?.[known]?.[version];
    if (step) upcast = step(upcast);
    version += 1;
  }
  return upcast;
}
