/**
 * Safe reads from parsed, untrusted JSON. Only own properties are read (a key such as
 * `constructor` never reaches Object.prototype), and records we build are filled with
 * defineProperty, so a `__proto__` key in the data stays an ordinary key.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function own(o: unknown, key: string): unknown {
  return isObject(o) && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** `own` along a path: `at(p, 'runDetails', 'builder', 'id')`. */
export function at(o: unknown, ...path: string[]): unknown {
  let v = o;
  for (const k of path) v = own(v, k);
  return v;
}

export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The first argument that is a non-empty string. */
export function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}
