/**
 * What `docker_signs` will do for a rendered release: which pushed references each entry signs
 * (`artifacts` + `ids`, internal/pipe/sign/sign_docker.go) and, with `--sign-container-identity`,
 * what the signature payload will claim. GoReleaser expands `${artifact}`, `${digest}` and the
 * environment with os.Expand before it applies the template (internal/pipe/sign/sign.go), and cosign
 * writes the identity into `critical.identity.docker-reference` of the simple-signing payload
 * (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md) while the signature itself is
 * stored beside the signed image.
 */
import { parseRegistryReference } from '../registry/reference';
import type { DockerSignEntry } from './config';
import type { TemplateContext } from './template-context';
import { renderTemplate } from './template';
import { SIGNED_SECTIONS } from './traps';
import type { GoreleaserDiagnostic, ImageTemplateRef, TemplateScalar } from './types';

/** The part of a resolved image this module needs. */
export interface SignableImage extends ImageTemplateRef {
  readonly reference: string | null;
  readonly unresolved: readonly string[];
  readonly preview?: string;
  readonly published?: boolean | null;
}

export interface SignClaim {
  /** The signed reference (`${artifact}`), or null when it is unresolved. */
  readonly artifact: string | null;
  /** What the payload will claim; null when unresolved. */
  readonly identity: string | null;
  readonly unresolved: readonly string[];
  /** `identity` with `<.Env.X>` holes, when it is unresolved but can be shown. */
  readonly preview?: string;
}

export interface ResolvedSign {
  readonly index: number;
  readonly id: string;
  readonly artifacts: string;
  /** Published references this entry signs. */
  readonly signs: readonly SignableImage[];
  /** The `--sign-container-identity` value, when given. */
  readonly identity?: TemplateScalar;
  readonly claims: readonly SignClaim[];
}

const SPECIAL = /[*#$@!?\-0-9]/;
const ALNUM = /[A-Za-z0-9_]/;

/** os.Expand (https://pkg.go.dev/os#Expand): `$name` and `${name}`; unknown names expand to "". */
export function osExpand(s: string, lookup: (name: string) => string): string {
  let out = '';
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) {
      out += s[j];
      continue;
    }
    const rest = s.slice(j + 1);
    let name = '';
    let width = 0;
    if (rest[0] === '{') {
      if (rest.length > 2 && SPECIAL.test(rest[1]!) && rest[2] === '}') [name, width] = [rest[1]!, 3];
      else {
        const close = rest.indexOf('}');
        [name, width] = close > 1 ? [rest.slice(1, close), close + 1] : ['', close === 1 ? 2 : 1];
      }
    } else if (SPECIAL.test(rest[0]!)) [name, width] = [rest[0]!, 1];
    else while (width < rest.length && ALNUM.test(rest[width]!)) name += rest[width++];
    if (name) out += lookup(name);
    else if (width === 0) out += '$';
    j += width;
  }
  return out;
}

/** The `--sign-container-identity` value among cosign arguments (`=value` or the next argument). */
export function identityArgument(args: readonly TemplateScalar[]): TemplateScalar | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const flag = '--sign-container-identity';
    if (a.text.startsWith(`${flag}=`)) return { ...a, text: a.text.slice(flag.length + 1) };
    if (a.text === flag) return args[i + 1];
  }
  return undefined;
}

function claim(identity: TemplateScalar, image: SignableImage, context: TemplateContext): SignClaim {
  const missing = new Set<string>();
  const vars: Record<string, string | null> = { artifact: image.reference, artifactName: image.reference, artifactID: image.id ?? '', digest: null };
  const expanded = osExpand(identity.text, (name) => {
    if (Object.hasOwn(vars, name)) {
      const v = vars[name];
      if (v !== null && v !== undefined) return v;
      if (name === 'digest') missing.add('${digest}');
      else image.unresolved.forEach((u) => missing.add(u));
      return name === 'digest' ? '<digest>' : (image.preview ?? `<${name}>`);
    }
    return context.env[name] ?? '';
  });
  const r = renderTemplate(expanded, context);
  if (!r.ok) return { artifact: image.reference, identity: null, unresolved: [...missing] };
  r.unresolved.forEach((u) => missing.add(u));
  const value = missing.size ? null : r.value;
  const preview = value === null ? (r.value ?? r.preview) : undefined;
  return { artifact: image.reference, identity: value, unresolved: [...missing], ...(preview !== undefined ? { preview } : {}) };
}

export function resolveSigns(signs: readonly DockerSignEntry[], images: readonly SignableImage[], context: TemplateContext): ResolvedSign[] {
  return signs.map((s) => {
    const sections = SIGNED_SECTIONS[s.artifacts] ?? [];
    const ids = s.ids.map((i) => i.text);
    const signed = images.filter(
      (i) =>
        i.role !== 'manifest-input' &&
        sections.includes(i.section) &&
        (ids.length === 0 || (i.id !== undefined && ids.includes(i.id))) &&
        i.published !== false,
    );
    const identity = identityArgument(s.args);
    const claims = identity ? signed.map((i) => claim(identity, i, context)) : [];
    return { index: s.index, id: s.id, artifacts: s.artifacts, signs: signed, ...(identity ? { identity } : {}), claims };
  });
}

/** Registry and repository path of a reference, or of a preview with `<…>` holes, for comparison. */
function repositoryOf(ref: string): { registry: string; path: string } {
  try {
    const r = parseRegistryReference(ref);
    return { registry: r.registry, path: r.repository };
  } catch {
    const name = ref.split('@')[0]!.replace(/:[^/:]*$/, '');
    const [first = '', ...rest] = name.split('/');
    if (rest.length && (/[.:<]/.test(first) || first === 'localhost')) return { registry: first, path: rest.join('/') };
    return { registry: 'docker.io', path: rest.length ? name : `library/${name}` };
  }
}

/** Info on each `--sign-container-identity` whose claim names another repository than the one signed. */
export function identityDiagnostics(resolved: readonly ResolvedSign[]): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  for (const s of resolved) {
    if (!s.identity) continue;
    const differing = s.claims.flatMap((c, n) => {
      const image = s.signs[n]!;
      const signedAs = c.artifact ?? image.preview;
      const claimed = c.identity ?? c.preview;
      if (signedAs === undefined || claimed === undefined) return [];
      const [a, b] = [repositoryOf(signedAs), repositoryOf(claimed)];
      if (a.registry === b.registry && a.path === b.path) return [];
      return [
        {
          signedAs,
          claimed,
          exact: c.artifact !== null && c.identity !== null,
          otherPath: a.path !== b.path ? { signed: a.path, claimed: b.path } : undefined,
        },
      ];
    });
    if (differing.length === 0) continue;
    const lines = differing.slice(0, 4).map((d) => `\`${d.signedAs}\` → claims \`${d.claimed}\``);
    if (differing.length > 4) lines.push(`… and ${differing.length - 4} more`);
    const asWritten = differing.some((d) => !d.exact) ? ' (unresolved parts compared as written: they differ unless those variables name the same place)' : '';
    const paths = [...new Set(differing.flatMap((d) => (d.otherPath ? [`\`${d.otherPath.signed}\` signed as \`${d.otherPath.claimed}\``] : [])))];
    const pathNote = paths.length
      ? ` The repository path differs too, not only the registry: ${paths.join(', ')}; check the template if that is not meant.`
      : '';
    out.push({
      code: 'sign-identity-other-repository',
      severity: 'info',
      range: s.identity.range,
      message:
        `docker_signs[${s.index}] (${s.id}) stores each signature beside the image it signs, but the signed payload ` +
        `claims another repository as critical.identity.docker-reference${asWritten}: ${lines.join('; ')}. ` +
        `Verifiers that check the claimed reference will see this name, as intended when images are promoted to it.${pathNote}`,
    });
  }
  return out;
}
