import type { ProvenanceLimits } from '../claims/limits';
import type { Material, NameValue, ProvenanceNote } from './types';
import type { JsonObject } from '../claims/values';
import { isObject, own, setOwn } from '../claims/values';

/**
 * Typed reads of predicate fields that never throw: a field of the wrong type is left out of
 * the summary with a note (the raw statement still has it), lists and maps are capped by the
 * limits, and long strings are left out rather than cut (a cut URL or digest would be a
 * different, wrong value).
 */
export class FieldReader {
  readonly notes: ProvenanceNote[] = [];

  constructor(readonly limits: ProvenanceLimits) {}

  note(code: ProvenanceNote['code'], field: string, message: string): void {
    if (this.notes.length < 100) this.notes.push({ code, field, message });
  }

  string(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.note('WRONG_TYPE', field, `${field} is a ${kind(v)}, not a string; left out.`);
      return undefined;
    }
    if (v.length > this.limits.maxStringLength) {
      this.note('TOO_LONG', field, `${field} is ${v.length} characters long; left out (the raw statement has it).`);
      return undefined;
    }
    return v;
  }

  bool(v: unknown, field: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.note('WRONG_TYPE', field, `${field} is a ${kind(v)}, not true or false; left out.`);
      return undefined;
    }
    return v;
  }

  object(v: unknown, field: string): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) {
      this.note('WRONG_TYPE', field, `${field} is a ${kind(v)}, not an object; left out.`);
      return undefined;
    }
    return v;
  }

  list(v: unknown, field: string): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.note('WRONG_TYPE', field, `${field} is a ${kind(v)}, not a list; left out.`);
      return undefined;
    }
    return v;
  }

  /** An RFC 3339 time, kept as written; noted when it does not parse. */
  time(v: unknown, field: string): string | undefined {
    const s = this.string(v, field);
    if (s !== undefined && Number.isNaN(Date.parse(s))) this.note('BAD_TIME', field, `${field} is not an RFC 3339 time.`);
    return s;
  }

  /** in-toto DigestSet: algorithm -> hex (https://github.com/in-toto/attestation/blob/main/spec/v1/digest_set.md). */
  digests(v: unknown, field: string): Record<string, string> {
    const out: Record<string, string> = {};
    const o = this.object(v, field);
    if (!o) return out;
    let n = 0;
    for (const [alg, hex] of Object.entries(o)) {
      const s = this.string(hex, `${field}.${alg}`);
      if (s === undefined || alg.length > 256) continue;
      if (++n > this.limits.maxMapEntries) break;
      setOwn(out, alg, s);
    }
    return out;
  }

  /** String-valued entries of a map, in order; other values noted and skipped. */
  stringEntries(v: unknown, field: string): NameValue[] {
    const o = this.object(v, field);
    if (!o) return [];
    const out: NameValue[] = [];
    for (const [name, value] of Object.entries(o)) {
      const s = this.string(value, `${field}.${name}`);
      if (s !== undefined && name.length <= this.limits.maxStringLength) out.push({ name, value: s });
    }
    return out;
  }

  /** v0.2 materials / v1 resolvedDependencies (ResourceDescriptor), capped. */
  materials(v: unknown, field: string): { items: Material[]; truncated: number } {
    const list = this.list(v, field) ?? [];
    const items: Material[] = [];
    const max = this.limits.maxListEntries;
    for (let i = 0; i < list.length && items.length < max; i++) {
      const entry = this.object(list[i], `${field}[${i}]`);
      if (!entry) continue;
      const uri = this.string(own(entry, 'uri'), `${field}[${i}].uri`);
      const name = this.string(own(entry, 'name'), `${field}[${i}].name`);
      const m: Material = {
        ...(uri !== undefined ? { uri } : {}),
        ...(name !== undefined ? { name } : {}),
        digest: this.digests(own(entry, 'digest'), `${field}[${i}].digest`),
      };
      const annotations = own(entry, 'annotations');
      if (annotations !== undefined) m.annotations = annotations;
      items.push(m);
    }
    const truncated = Math.max(0, list.length - max);
    if (truncated) this.note('TRUNCATED', field, `${field} lists ${list.length} entries; the first ${max} are shown.`);
    return { items, truncated };
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}
