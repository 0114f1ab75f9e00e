import { dirname, resolve } from 'node:path';
import { LineCounter, isScalar, parseDocument } from 'yaml';
import { isGithubRepository } from './github-identity';
import { normaliseImagePattern } from './policy-match';
import { readRules } from './policy-rules';
import type { RulesContext } from './policy-rules';
import type { PolicyDefaults, PolicyDiagnostic, PolicyEntry, PolicyFile, PolicyParseResult } from './policy-types';
import type { Field, ValueNode } from './policy-yaml';
import { PolicyReader, join } from './policy-yaml';

/**
 * `.provenance-lens.yaml`: which images must be signed by whom, with which attestations
 * (docs/policy.md; schemas/provenance-lens.schema.json for editors). Validated by hand
 * against the documented shape so every problem is one diagnostic with a line and column,
 * and a file with any error yields no policy at all: a half-understood policy would
 * verify less than its author wrote.
 */
export const POLICY_FILE_NAME = '.provenance-lens.yaml';

/** Parses and validates policy text. No I/O: key files are read by `loadPolicyKeys`. */
export function parsePolicyFile(text: string, path: string): PolicyParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const r = new PolicyReader(path, text, lines, doc);
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as const) {
    for (const e of list)
      r.report(severity, 'YAML_SYNTAX', '', [e.pos[0], e.pos[1]], `YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  if (doc.errors.length > 0) return { policy: undefined, diagnostics: r.diagnostics };

  const ctx: RulesContext = { r, dir: dirname(resolve(path)) };
  const policy: PolicyFile = { path, version: 1, defaults: {}, images: [] };
  const root = doc.contents as ValueNode;
  const empty = root === null || (isScalar(root) && root.value === null);
  const top = empty ? undefined : r.map(root, root, '', 'root');
  if (top !== undefined) readTop(ctx, top, policy);
  const failed = r.diagnostics.some((d) => d.severity === 'error');
  return { policy: failed ? undefined : policy, diagnostics: inDocumentOrder(r.diagnostics) };
}

function inDocumentOrder(diagnostics: PolicyDiagnostic[]): PolicyDiagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}

function readTop(ctx: RulesContext, top: Map<string, Field>, policy: PolicyFile): void {
  const { r } = ctx;
  const version = top.get('version');
  if (version !== undefined && !(isScalar(version.value) && version.value.value === 1)) {
    r.error('INVALID_VALUE', 'version', version, 'Only "version: 1" is known to this version of Provenance Lens.');
  }
  const defaults = top.get('defaults');
  if (defaults !== undefined) {
    const m = r.map(defaults, defaults.value, 'defaults', 'defaults');
    if (m !== undefined) policy.defaults = readDefaults(ctx, m);
  }
  const images = top.get('images');
  if (images !== undefined) {
    const items = r.list(images, images.value, 'images') ?? [];
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const entry = readEntry(ctx, { key: images.key, value: item }, index);
      if (entry === undefined) return;
      const first = seen.get(entry.pattern);
      if (first !== undefined) {
        r.error(
          'DUPLICATE_PATTERN',
          `images[${index}].image`,
          item ?? images,
          `images[${first}] already has the pattern ${entry.pattern}; merge the two entries (only one entry applies to an image).`,
        );
      } else {
        seen.set(entry.pattern, index);
      }
      policy.images.push(entry);
    });
  }
}

function readDefaults(ctx: RulesContext, m: Map<string, Field>): PolicyDefaults {
  const out: PolicyDefaults = readRules(ctx, m, 'defaults');
  const derive = m.get('derive');
  const derived = derive === undefined ? undefined : ctx.r.boolean(derive, derive.value, 'defaults.derive');
  if (derived !== undefined) out.derive = derived;
  return out;
}

function readEntry(ctx: RulesContext, field: Field, index: number): PolicyEntry | undefined {
  const { r } = ctx;
  const at = `images[${index}]`;
  const m = r.map(field, field.value, at, 'image');
  if (m === undefined) return undefined;
  const imageField = m.get('image');
  if (imageField === undefined) {
    r.error('MISSING_KEY', at, field, `${at} has no "image:" pattern, e.g. "image: docker.io/rancher/fleet-agent".`);
    return undefined;
  }
  const image = r.scalar(imageField, imageField.value, join(at, 'image'));
  if (image === undefined) return undefined;
  const normalised = normaliseImagePattern(image.value);
  if ('message' in normalised) {
    r.error('INVALID_VALUE', join(at, 'image'), image.node, `Image pattern "${image.value}": ${normalised.message}.`, { offset: normalised.offset, length: 1 });
    return undefined;
  }
  const entry: PolicyEntry = { ...readRules(ctx, m, at), image: image.value, pattern: normalised.pattern, index, line: r.position(image.node).line };
  const builtIn = m.get('builtIn');
  if (builtIn !== undefined) {
    const s = r.string(builtIn, builtIn.value, join(at, 'builtIn'));
    if (s !== undefined && !isGithubRepository(s))
      r.error('INVALID_VALUE', join(at, 'builtIn'), builtIn, `"${s}" is not a GitHub repository; write it as owner/name, e.g. "rancher/fleet".`);
    else if (s !== undefined) entry.builtIn = s;
  }
  const exception = m.get('exception');
  if (exception !== undefined) {
    const em = r.map(exception, exception.value, join(at, 'exception'), 'exception');
    const reason = em?.get('reason');
    if (em !== undefined && reason === undefined) {
      r.error(
        'MISSING_KEY',
        join(at, 'exception'),
        exception,
        'An exception needs a "reason:" saying why this image is not held to the policy; it is shown beside every result for the image.',
      );
    } else if (reason !== undefined) {
      const s = r.string(reason, reason.value, join(at, 'exception.reason'));
      if (s !== undefined) entry.exception = { reason: s.trim() };
    }
  }
  return entry;
}

/** `path:line:column: error: message (CODE)`, the shape editors and CI logs link. */
export function formatDiagnostic(d: PolicyDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (${d.code})`;
}
