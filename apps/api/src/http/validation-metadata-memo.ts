import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type ValidationMetadata = Parameters<MetadataStorage['addValidationMetadata']>[0];

const MEMO = Symbol('complaint-desk.validation-metadata-memo');

/**
 * class-validator works out a class's rules on every validation: it filters the class's decorators
 * and walks every class it knows (hundreds of DTOs here) to find the ones it inherits from, then
 * groups them by property — for the body and for each nested object, on every request. The rules
 * of a class change only when a decorator runs (when a module is loaded), so they are worked out
 * once per class and options and kept until the next decorator is added. The library's own code
 * still validates; only its lookup of the rules is remembered (docs/adr/0003, "Where a command's
 * CPU goes"). Idempotent: a second call changes nothing. Returns what puts the library's own lookup
 * back (the bench compares the two in one process).
 */
export function memoizeValidationMetadata(storage: MetadataStorage = getMetadataStorage()): () => void {
  const marked = storage as MetadataStorage & { [MEMO]?: true };
  if (marked[MEMO]) return () => undefined;
  marked[MEMO] = true;
  const originals = { getTargetValidationMetadatas: storage.getTargetValidationMetadatas, groupByPropertyName: storage.groupByPropertyName, addValidationMetadata: storage.addValidationMetadata };
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addMetadata = storage.addValidationMetadata.bind(storage);
  let rules = new Map<Function | string, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata) => {
    rules = new Map();
    grouped = new WeakMap();
    addMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema ?? ''}\n${always}\n${strictGroups}\n${groups?.join('\n') ?? '-'}`;
    let byOptions = rules.get(target);
    if (!byOptions) rules.set(target, (byOptions = new Map()));
    let found = byOptions.get(options);
    if (!found) byOptions.set(options, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
  return () => {
    Object.assign(storage, originals);
    delete marked[MEMO];
  };
}
