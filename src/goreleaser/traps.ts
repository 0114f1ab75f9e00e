/**
 * Diagnostics that need nothing but the file: mistakes that break or weaken a release.
 *
 * The "is a manifest list" trap. `docker_manifests` runs `docker manifest create <name> <images…>`
 * (internal/pipe/docker/api_docker.go), which accepts only single-platform image manifests. A per-arch
 * image built with attestations (`--provenance`, `--sbom`, `--attest`) is stored and pushed as an image
 * index (image + attestation manifest), and the command fails with "<image>@sha256:… is a manifest
 * list" (goreleaser/goreleaser#5597). BuildKit ≥ 0.11 with buildx ≥ 0.10 attaches a provenance
 * attestation by default whenever the builder can keep it (https://docs.docker.com/build/metadata/attestations/slsa-provenance/):
 * a docker-container builder, or Docker's containerd image store, the default of fresh Docker Engine 29
 * installs such as GitHub-hosted runners since February 2026 (goreleaser/goreleaser#6399). Ways out:
 * `dockers_v2` (one buildx build for every platform, attestations kept), `docker buildx imagetools create`
 * (accepts indexes), or `--provenance=false --sbom=false` on the per-arch builds (attestations dropped).
 */
import type { DockerEntry, GoreleaserConfig, ManifestEntry } from './config';
import type { Operand, TemplateNode } from './template-ast';
import { buildersOf } from './references';
import { parseGoTemplate } from './template';
import type { GoreleaserDiagnostic, ImageTemplateRef, RelatedLocation, TemplateScalar } from './types';

type Attest = 'on' | 'off' | 'default' | 'templated';

export interface AttestationFlags {
  readonly provenance: Attest;
  readonly sbom: Attest;
  /** The flags that decide it, last first. */
  readonly deciding: readonly TemplateScalar[];
}

/** What buildx will do about attestations given these build flags (the last flag of a kind wins). */
export function attestationFlags(flags: readonly TemplateScalar[]): AttestationFlags {
  let provenance: Attest = 'default';
  let sbom: Attest = 'default';
  const deciding: TemplateScalar[] = [];
  const state = (value: string | undefined): Attest => {
    if (value === undefined) return 'on'; // `--sbom` alone means true
    if (value.includes('{{')) return 'templated';
    const v = value.trim().toLowerCase();
    return v === 'false' || v === '0' || /(^|,)disabled=true(,|$)/.test(v) ? 'off' : 'on';
  };
  for (const f of flags) {
    const m = /^--(provenance|sbom|attest)(?:=(.*))?$/s.exec(f.text.trim());
    if (!m) continue;
    const [, kind, value] = m;
    if (kind === 'attest') {
      const type = /(?:^|,)type=([a-z]+)/.exec(value ?? '')?.[1];
      if (type !== 'provenance' && type !== 'sbom') continue;
      const s = state(value?.replace(/(?:^|,)type=[a-z]+/, '') || 'true');
      if (type === 'provenance') provenance = s;
      else sbom = s;
    } else if (kind === 'provenance') provenance = state(value);
    else sbom = state(value);
    deciding.unshift(f);
  }
  return { provenance, sbom, deciding };
}

const BUILDKIT_USES = new Set(['docker', 'buildx']);
const WAYS_OUT =
  'Ways out: build every platform in one step with `dockers_v2` (the attestations are kept); or assemble with ' +
  '`docker buildx imagetools create`, which accepts indexes, instead of `docker_manifests`; or add ' +
  '`--provenance=false` and `--sbom=false` to the per-arch `build_flag_templates` (the attestations are dropped).';

/**
 * The trap for every manifest the release pushes: `pushed` says whether an entry is pushed with the
 * release's values (fleet's hotfix release sets skip_push on its public manifests, which then
 * assemble nothing and cannot fail). It needs those values, so resolve.ts calls it.
 */
export function manifestTrap(config: GoreleaserConfig, pushed: (m: ManifestEntry) => boolean): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  for (const m of config.dockerManifests) {
    if (!pushed(m)) continue;
    const name = m.name ? ` \`${m.name.text}\`` : '';
    for (const input of m.imageTemplates) {
      const found: { d: DockerEntry; a: AttestationFlags }[] = buildersOf(config, input.text).map((d) => ({ d, a: attestationFlags(d.buildFlags) }));
      const explicit = found.find(({ a }) => a.provenance === 'on' || a.sbom === 'on');
      if (explicit) {
        const { d, a } = explicit;
        const what = [a.provenance === 'on' ? 'provenance' : '', a.sbom === 'on' ? 'an SBOM' : ''].filter(Boolean).join(' and ');
        const related: RelatedLocation[] = a.deciding.map((f) => ({ message: `dockers[${d.index}] asks for ${what} here`, range: f.range }));
        out.push({
          code: 'manifest-list-attestations',
          severity: 'error',
          range: input.range,
          related,
          message:
            `docker_manifests[${m.index}]${name} assembles \`${input.text}\`, which dockers[${d.index}] builds with ${what} ` +
            `(${a.deciding.map((f) => `\`${f.text}\``).join(', ')}). BuildKit stores and pushes that image as an image index ` +
            '(the image plus an attestation manifest), and `docker manifest create` refuses an index as a member: ' +
            `"… is a manifest list". ${WAYS_OUT}`,
        });
        continue;
      }
      const byDefault = found.find(({ d, a }) => BUILDKIT_USES.has(d.use) && a.provenance !== 'off');
      if (byDefault) {
        const { d, a } = byDefault;
        const how = a.provenance === 'templated' ? 'a templated `--provenance` flag' : `\`use: ${d.use}\` and no \`--provenance=false\``;
        out.push({
          code: 'manifest-list-default-provenance',
          severity: 'warning',
          range: input.range,
          related: [{ message: `dockers[${d.index}] builds it`, range: d.useScalar?.range ?? d.range }],
          message:
            `docker_manifests[${m.index}]${name} assembles \`${input.text}\`, built by dockers[${d.index}] with ${how}. ` +
            'BuildKit (buildx ≥ 0.10) attaches a provenance attestation by default whenever the builder can keep it — a ' +
            "docker-container builder, or Docker's containerd image store (the default of fresh Docker Engine 29 installs, " +
            'e.g. GitHub-hosted runners since February 2026) — and the image is then pushed as an image index that ' +
            `\`docker manifest create\` rejects: "… is a manifest list". ${WAYS_OUT}`,
        });
      }
    }
  }
  return out;
}

/** Sections each `docker_signs.artifacts` value signs (internal/pipe/sign/sign_docker.go). */
export const SIGNED_SECTIONS: Readonly<Record<string, readonly ImageTemplateRef['section'][]>> = {
  '': ['dockers_v2'],
  images: ['dockers', 'dockers_v2'],
  manifests: ['docker_manifests', 'dockers_v2', 'kos'],
  all: ['dockers', 'docker_manifests', 'dockers_v2', 'kos'],
  none: [],
};

function signCoverage(config: GoreleaserConfig): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  for (const s of config.dockerSigns) {
    const range = s.artifactsScalar?.range ?? s.ids[0]?.range ?? s.range;
    const sections = SIGNED_SECTIONS[s.artifacts];
    if (!sections) {
      out.push({
        code: 'sign-covers-nothing',
        severity: 'error',
        range,
        message: `docker_signs[${s.index}]: artifacts must be all, none, images or manifests (or unset, for dockers_v2 images); GoReleaser stops on "${s.artifacts}".`,
      });
      continue;
    }
    if (s.artifacts === 'none') continue;
    const ids = s.ids.map((i) => i.text);
    const entries = [
      ...(sections.includes('dockers') ? config.dockers : []),
      ...(sections.includes('docker_manifests') ? config.dockerManifests : []),
      ...(sections.includes('dockers_v2') ? config.dockersV2 : []),
      ...(sections.includes('kos') ? config.kos : []),
    ];
    if (entries.some((e) => ids.length === 0 || (e.id !== undefined && ids.includes(e.id)))) continue;
    const what = s.artifacts === '' ? 'images built by dockers_v2 (`artifacts` is not set)' : `${s.artifacts} (${sections.join(', ')})`;
    const filter = ids.length ? ` with ids ${ids.join(', ')}` : '';
    out.push({
      code: 'sign-covers-nothing',
      severity: 'warning',
      range,
      message: `docker_signs[${s.index}] signs ${what}${filter}, and no entry of this file matches: nothing will be signed.`,
    });
  }
  return out;
}

/** `contains "agent" "${artifact}"` asks whether "agent" contains the artifact name: strings.Contains(s, substr). */
function containsOrder(config: GoreleaserConfig): GoreleaserDiagnostic[] {
  const out: GoreleaserDiagnostic[] = [];
  for (const s of config.dockerSigns) {
    for (const arg of s.args) {
      const parsed = parseGoTemplate(arg.text);
      if (!parsed.ok) continue;
      const calls: Operand[][] = [];
      const visit = (nodes: readonly TemplateNode[]): void => {
        for (const n of nodes) {
          if (!('pipe' in n)) continue;
          for (const c of n.pipe.cmds) calls.push([...c.args]);
          if ('list' in n) {
            visit(n.list);
            if (n.elseList) visit(n.elseList);
          }
        }
      };
      visit(parsed.template.nodes);
      for (const [head, s1, s2] of calls) {
        if (head?.kind !== 'function' || head.name !== 'contains' || s1?.kind !== 'string' || s2?.kind !== 'string' || !s2.value.includes('$')) continue;
        out.push({
          code: 'contains-argument-order',
          severity: 'warning',
          range: arg.range,
          message:
            `\`contains "${s1.value}" "${s2.value}"\` is strings.Contains(s, substr): it asks whether "${s1.value}" contains ` +
            `the expanded "${s2.value}", which is false for any longer name. Write \`contains "${s2.value}" "${s1.value}"\`.`,
        });
      }
    }
  }
  return out;
}

export function staticDiagnostics(config: GoreleaserConfig): GoreleaserDiagnostic[] {
  return [...signCoverage(config), ...containsOrder(config)];
}
