/**
 * The image-related parts of a .goreleaser.yaml, as typed entries that keep their source ranges:
 * `dockers` (https://goreleaser.com/customization/docker/), `docker_manifests` (…/docker_manifest/),
 * `dockers_v2` (…/dockers_v2/), `kos` (…/ko/), `docker_signs` (…/docker_sign/), top-level `env`
 * (…/env/) and `project_name`. Defaults are GoReleaser's, marked `defaulted`. Unexpected shapes
 * become diagnostics; nothing here throws on user input.
 */
import type { YAMLMap } from 'yaml';
import { isMap, isScalar } from 'yaml';
import type { GoreleaserDiagnostic, SourceRange, TemplateScalar } from './types';
import type { Reached, YamlSource } from './yaml-source';
import { isMapNode, isSeqNode, keyRange, mapGet, rangeOf, seqItems, templateScalar } from './yaml-source';

interface Entry {
  readonly index: number;
  /** The whole entry (a mapping in the section's list). */
  readonly range: SourceRange;
  readonly id?: string | undefined;
}

export interface DockerEntry extends Entry {
  /** docker (default), buildx, podman, buildpacks, … */
  readonly use: string;
  readonly useScalar?: TemplateScalar | undefined;
  readonly imageTemplates: readonly TemplateScalar[];
  readonly buildFlags: readonly TemplateScalar[];
  readonly skipPush?: TemplateScalar | undefined;
  readonly goos: string;
  readonly goarch: string;
  readonly goarm?: string | undefined;
}

export interface ManifestEntry extends Entry {
  readonly name?: TemplateScalar | undefined;
  readonly imageTemplates: readonly TemplateScalar[];
  readonly skipPush?: TemplateScalar | undefined;
}

export interface DockerV2Entry extends Entry {
  readonly images: readonly TemplateScalar[];
  readonly tags: readonly TemplateScalar[];
  readonly platforms: readonly TemplateScalar[];
  readonly flags: readonly TemplateScalar[];
  readonly sbom: TemplateScalar;
  readonly disable?: TemplateScalar | undefined;
}

export interface KoEntry extends Entry {
  readonly repositories: readonly TemplateScalar[];
  readonly tags: readonly TemplateScalar[];
  readonly platforms: readonly TemplateScalar[];
  /**
   * How ko names the image after the repository (ko's options.MakeNamer, in this order):
   * `preserve_import_paths`, `base_import_paths`, `bare`, else the base of the import path and its MD5.
   */
  readonly bare: boolean;
  readonly preserveImportPaths: boolean;
  readonly baseImportPaths: boolean;
  /** `main` (a local path or an import path), else the build's; `build` defaults to the entry's id. */
  readonly main?: TemplateScalar | undefined;
  readonly build?: string | undefined;
  readonly workingDir?: string | undefined;
  readonly disable?: TemplateScalar | undefined;
}

/** A `builds` entry, as far as ko needs it (https://goreleaser.com/customization/builds/go/). */
export interface BuildEntry extends Entry {
  readonly main?: TemplateScalar | undefined;
  readonly dir?: string | undefined;
}

export interface DockerSignEntry extends Entry {
  readonly id: string;
  /** all | none | images | manifests | '' (the default: images built by dockers_v2). */
  readonly artifacts: string;
  readonly artifactsScalar?: TemplateScalar;
  readonly ids: readonly TemplateScalar[];
  readonly args: readonly TemplateScalar[];
}

export interface ConfigSection {
  readonly name: string;
  /** The section's key (`dockers:`), for a CodeLens above it. */
  readonly keyRange: SourceRange;
  readonly entries: number;
}

export interface GoreleaserConfig {
  readonly projectName?: TemplateScalar;
  readonly env: readonly TemplateScalar[];
  readonly dockers: readonly DockerEntry[];
  readonly dockerManifests: readonly ManifestEntry[];
  readonly dockersV2: readonly DockerV2Entry[];
  readonly kos: readonly KoEntry[];
  readonly dockerSigns: readonly DockerSignEntry[];
  readonly builds: readonly BuildEntry[];
  readonly sections: readonly ConfigSection[];
}

const SECTIONS = ['dockers', 'docker_manifests', 'dockers_v2', 'kos', 'docker_signs'] as const;
const DEFAULT_SIGN_ARGS = ['sign', '--key=cosign.key', '${artifact}@${digest}', '--yes'];

const path = (where: string, key: string): string => (where ? `${where}.${key}` : key);

class Reader {
  constructor(
    readonly source: YamlSource,
    readonly diagnostics: GoreleaserDiagnostic[],
  ) {}

  private shape(where: Reached | undefined, message: string): void {
    if (where) this.diagnostics.push({ code: 'unexpected-shape', severity: 'warning', message, range: where.alias ?? rangeOf(this.source, where.node) });
  }

  scalar(map: YAMLMap, key: string, where: string): TemplateScalar | undefined {
    const r = mapGet(this.source, map, key);
    const s = templateScalar(this.source, r);
    if (r && !s && !isScalar(r.node)) this.shape(r, `${path(where, key)} should be a string.`);
    return s;
  }

  strings(map: YAMLMap, key: string, where: string): TemplateScalar[] {
    const r = mapGet(this.source, map, key);
    if (!r || (isScalar(r.node) && r.node.value === null)) return [];
    if (!isSeqNode(r)) {
      this.shape(r, `${path(where, key)} should be a list of strings.`);
      return [];
    }
    const out: TemplateScalar[] = [];
    for (const item of seqItems(this.source, r)) {
      const s = templateScalar(this.source, item);
      if (s) out.push(s);
      else this.shape(item, `${path(where, key)} should hold strings only.`);
    }
    return out;
  }

  entries(root: YAMLMap, name: string): { map: YAMLMap; range: SourceRange }[] {
    const r = mapGet(this.source, root, name);
    if (!r || (isScalar(r.node) && r.node.value === null)) return [];
    if (!isSeqNode(r)) {
      this.shape(r, `${name} should be a list.`);
      return [];
    }
    const out: { map: YAMLMap; range: SourceRange }[] = [];
    for (const item of seqItems(this.source, r)) {
      if (isMapNode(item)) out.push({ map: item.node, range: rangeOf(this.source, item.node) });
      else this.shape(item, `Each entry of ${name} should be a mapping.`);
    }
    return out;
  }
}

const defaulted = (text: string, range: SourceRange): TemplateScalar => ({ text, range, defaulted: true });
const truthy = (s: TemplateScalar | undefined): boolean => s !== undefined && s.text.trim().toLowerCase() === 'true';

export function readConfig(source: YamlSource, diagnostics: GoreleaserDiagnostic[]): GoreleaserConfig {
  const r = new Reader(source, diagnostics);
  const contents = source.doc.contents;
  const empty: GoreleaserConfig = { env: [], dockers: [], dockerManifests: [], dockersV2: [], kos: [], dockerSigns: [], builds: [], sections: [] };
  if (!contents || (isScalar(contents) && contents.value === null)) return empty;
  if (!isMap(contents)) {
    diagnostics.push({
      code: 'unexpected-shape',
      severity: 'warning',
      message: 'A GoReleaser configuration is a mapping at the top level.',
      range: rangeOf(source, contents),
    });
    return empty;
  }
  const root = contents;
  const projectName = r.scalar(root, 'project_name', '');
  const idOf = (map: YAMLMap, where: string, fallback?: string): string | undefined => r.scalar(map, 'id', where)?.text ?? fallback;

  const dockers = r.entries(root, 'dockers').map(({ map, range }, index): DockerEntry => {
    const where = `dockers[${index}]`;
    const useScalar = r.scalar(map, 'use', where);
    const legacyBuildx = truthy(r.scalar(map, 'use_buildx', where));
    const goarm = r.scalar(map, 'goarm', where)?.text;
    return {
      index,
      range,
      id: idOf(map, where),
      use: useScalar?.text ?? (legacyBuildx ? 'buildx' : 'docker'),
      ...(useScalar ? { useScalar } : {}),
      imageTemplates: r.strings(map, 'image_templates', where),
      buildFlags: r.strings(map, 'build_flag_templates', where),
      skipPush: r.scalar(map, 'skip_push', where),
      goos: r.scalar(map, 'goos', where)?.text ?? 'linux',
      goarch: r.scalar(map, 'goarch', where)?.text ?? 'amd64',
      ...(goarm ? { goarm } : {}),
    };
  });

  const dockerManifests = r.entries(root, 'docker_manifests').map(({ map, range }, index): ManifestEntry => {
    const where = `docker_manifests[${index}]`;
    const name = r.scalar(map, 'name_template', where);
    return {
      index,
      range,
      id: idOf(map, where),
      ...(name ? { name } : {}),
      imageTemplates: r.strings(map, 'image_templates', where),
      skipPush: r.scalar(map, 'skip_push', where),
    };
  });

  const dockersV2 = r.entries(root, 'dockers_v2').map(({ map, range }, index): DockerV2Entry => {
    const where = `dockers_v2[${index}]`;
    const tags = r.strings(map, 'tags', where);
    const platforms = r.strings(map, 'platforms', where);
    return {
      index,
      range,
      id: idOf(map, where, projectName?.text),
      images: r.strings(map, 'images', where),
      tags: tags.length ? tags : [defaulted('{{.Tag}}', range)],
      platforms: platforms.length ? platforms : ['linux/amd64', 'linux/arm64'].map((p) => defaulted(p, range)),
      flags: r.strings(map, 'flags', where),
      sbom: r.scalar(map, 'sbom', where) ?? defaulted('true', range),
      disable: r.scalar(map, 'disable', where),
    };
  });

  const kos = r.entries(root, 'kos').map(({ map, range }, index): KoEntry => {
    const where = `kos[${index}]`;
    // GoReleaser appends the deprecated `repository` to `repositories` (internal/pipe/ko Default).
    const repositories = [
      ...r.strings(map, 'repositories', where),
      ...[r.scalar(map, 'repository', where)].filter((x): x is TemplateScalar => x !== undefined),
    ];
    const tags = r.strings(map, 'tags', where);
    const platforms = r.strings(map, 'platforms', where);
    const id = idOf(map, where, projectName?.text);
    const main = r.scalar(map, 'main', where);
    const build = r.scalar(map, 'build', where)?.text ?? id;
    const workingDir = r.scalar(map, 'working_dir', where)?.text;
    return {
      index,
      range,
      id,
      repositories: repositories.length ? repositories : [defaulted('{{ .Env.KO_DOCKER_REPO }}', range)],
      tags: tags.length ? tags : [defaulted('latest', range)],
      platforms: platforms.length ? platforms : [defaulted('linux/amd64', range)],
      bare: truthy(r.scalar(map, 'bare', where)),
      preserveImportPaths: truthy(r.scalar(map, 'preserve_import_paths', where)),
      baseImportPaths: truthy(r.scalar(map, 'base_import_paths', where)),
      ...(main ? { main } : {}),
      ...(build !== undefined ? { build } : {}),
      ...(workingDir !== undefined ? { workingDir } : {}),
      disable: r.scalar(map, 'disable', where),
    };
  });

  const dockerSigns = r.entries(root, 'docker_signs').map(({ map, range }, index): DockerSignEntry => {
    const where = `docker_signs[${index}]`;
    const artifactsScalar = r.scalar(map, 'artifacts', where);
    const args = r.strings(map, 'args', where);
    return {
      index,
      range,
      id: idOf(map, where) ?? 'default',
      artifacts: artifactsScalar?.text.trim() ?? '',
      ...(artifactsScalar ? { artifactsScalar } : {}),
      ids: r.strings(map, 'ids', where),
      args: args.length ? args : DEFAULT_SIGN_ARGS.map((a) => defaulted(a, range)),
    };
  });

  const builds = r.entries(root, 'builds').map(({ map, range }, index): BuildEntry => {
    const where = `builds[${index}]`;
    const main = r.scalar(map, 'main', where);
    const dir = r.scalar(map, 'dir', where)?.text;
    return { index, range, id: idOf(map, where, projectName?.text), ...(main ? { main } : {}), ...(dir !== undefined ? { dir } : {}) };
  });

  const counts: Record<(typeof SECTIONS)[number], number> = {
    dockers: dockers.length,
    docker_manifests: dockerManifests.length,
    dockers_v2: dockersV2.length,
    kos: kos.length,
    docker_signs: dockerSigns.length,
  };
  const sections: ConfigSection[] = [];
  for (const name of SECTIONS) {
    const k = keyRange(source, root, name);
    if (k) sections.push({ name, keyRange: k, entries: counts[name] });
  }
  return { ...(projectName ? { projectName } : {}), env: r.strings(root, 'env', ''), dockers, dockerManifests, dockersV2, kos, dockerSigns, builds, sections };
}
