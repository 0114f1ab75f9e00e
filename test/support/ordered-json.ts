// JSON text with object keys in a chosen order, duplicates allowed: what JSON.stringify cannot
// write, and what an attacker can. `obj([['manifests', a], ['Manifests', b]])`.
export interface OrderedObject {
  readonly pairs: ReadonlyArray<readonly [string, OrderedValue]>;
}
export type OrderedValue = string | number | boolean | null | OrderedObject | readonly OrderedValue[];

export function obj(pairs: ReadonlyArray<readonly [string, OrderedValue]>): OrderedObject {
  return { pairs };
}

/** A plain object as ordered pairs (nested plain objects too), to be edited before writing. */
export function fromPlain(value: unknown): OrderedValue {
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object' && value !== null)
    return obj(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, fromPlain(v)] as const),
    );
  return value as OrderedValue;
}

export function writeJson(value: OrderedValue): string {
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (typeof value === 'object' && value !== null && 'pairs' in value) {
    return `{${(value as OrderedObject).pairs.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
