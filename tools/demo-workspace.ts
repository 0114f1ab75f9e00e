// The demo workspace: a git checkout of "fleet" tagged like the demo release, with a
// `.goreleaser.yaml` trimmed from rancher/fleet's own (its staging images, with provenance and
// SBOMs), workspace settings that point `{{ .Env.STAGE_REGISTRY }}` at the demo registry and
// name the policy, and a `.provenance-lens.yaml` that pins who must have signed each image.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEMO_PLATFORMS, DEMO_TAG, EXPECTED_REPOSITORY, UNSIGNED_PLATFORM, WRONG_REPOSITORY } from './demo-release';
import { commitAndTag } from '../test/support/git';

const platforms = DEMO_PLATFORMS.map((p) => `      - ${p}`).join('\n');
const targets = DEMO_PLATFORMS.map((p) => `      - ${p.replace('/', '_')}${p === 'linux/amd64' ? '_v1' : ''}`).join('\n');

/** Modelled on https://github.com/rancher/fleet/blob/main/.goreleaser.yaml (staging images only). */
const GORELEASER = `# rancher/fleet's .goreleaser.yaml, trimmed to its staging
# images: built for three platforms with BuildKit provenance
# and SBOMs, then signed and attested with cosign (keyless)
# by the release workflow.
# STAGE_REGISTRY: provenanceLens.goreleaser.env in
# .vscode/settings.json (the demo's local registry).
version: 2

project_name: fleet

dockers_v2:
  - id: fleet
    ids:
      - fleet-controller
    images:
      - "{{ .Env.STAGE_REGISTRY }}/rancher/fleet"
    tags:
      - "{{ .Tag }}"
    dockerfile: package/Dockerfile
    labels:
      "org.opencontainers.image.title": "{{ .ProjectName }}"
      "org.opencontainers.image.revision": "{{ .FullCommit }}"
      "org.opencontainers.image.version": "{{ .Version }}"
      "org.opencontainers.image.source": "https://github.com/rancher/fleet"
    flags:
      - "--sbom=true"
      - "--provenance=mode=max"
    platforms:
${platforms}

  - id: fleet-agent
    ids:
      - fleet-agent
    images:
      - "{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent"
    tags:
      - "{{ .Tag }}"
    dockerfile: package/Dockerfile.agent
    labels:
      "org.opencontainers.image.title": "{{ .ProjectName }}-agent"
      "org.opencontainers.image.revision": "{{ .FullCommit }}"
      "org.opencontainers.image.version": "{{ .Version }}"
      "org.opencontainers.image.source": "https://github.com/rancher/fleet"
    flags:
      - "--sbom=true"
      - "--provenance=mode=max"
    platforms:
${platforms}

builds:
  - id: fleet-controller
    main: ./cmd/fleetcontroller
    binary: fleetcontroller-{{ .Os }}-{{ .Arch }}
    ldflags:
      - -w -s
      - -X github.com/rancher/fleet/pkg/version.Version={{ .Tag }}
    targets:
${targets}
  - id: fleet-agent
    main: ./cmd/fleetagent
    binary: fleetagent-{{ .Os }}-{{ .Arch }}
    ldflags:
      - -w -s
      - -X github.com/rancher/fleet/pkg/version.Version={{ .Tag }}
    targets:
${targets}
`;

/** docs/policy.md: both images must come from rancher/fleet's release workflow, for the tag. */
const POLICY = `# Who must have signed each image of this release (docs/policy.md in Provenance Lens).
version: 1
defaults:
  github:
    repository: ${EXPECTED_REPOSITORY}
    workflow: release.yml
    ref: refs/tags/{{tag}}
  attestations: [slsa-provenance]
images:
  - image: "*/rancher/fleet"
  - image: "*/rancher/fleet-agent"
    builtIn: ${EXPECTED_REPOSITORY}
`;

const README = `# Provenance Lens demo

The Provenance Lens view (its icon is in the activity bar) shows this workspace's
release, \`fleet ${DEMO_TAG}\`, read from \`.goreleaser.yaml\` and checked in a local registry
against \`.provenance-lens.yaml\`: both images must be signed by the \`release.yml\` workflow of
\`${EXPECTED_REPOSITORY}\`.

- **rancher/fleet**: each platform is signed and attested (cosign \`.sig\`/\`.att\` tags and
  Sigstore-bundle referrers) by that workflow, except **${UNSIGNED_PLATFORM}**, which nothing
  signed: the image fails on that gap.
- **rancher/fleet-agent**: signed and attested on the index, so every platform is covered,
  but by **${WRONG_REPOSITORY}**'s workflow, not the one the policy pins: the identity is
  wrong, so the image fails.
- Every platform also carries BuildKit's unsigned SLSA provenance and SPDX SBOM.

Expand an image to its platforms and their signatures and attestations; hover for the
evidence; **Verify image** and **Show provenance** (right-click an image) open the image panel.

The signatures come from a private test Sigstore (its own CA and transparency log), configured
as \`provenanceLens.trustedRoot\` in the user settings; nothing here leaves the machine.
`;

export interface DemoWorkspaceOptions {
  /** `127.0.0.1:PORT`: what `{{ .Env.STAGE_REGISTRY }}` renders to. */
  readonly registryHost: string;
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

/** Writes the workspace into `root` (created) and commits it, tagged `DEMO_TAG`. */
export function writeDemoWorkspace(root: string, o: DemoWorkspaceOptions): void {
  const settings = {
    'provenanceLens.goreleaser.env': { STAGE_REGISTRY: o.registryHost },
    'provenanceLens.policyFile': '.provenance-lens.yaml',
  };
  write(root, '.goreleaser.yaml', GORELEASER);
  write(root, '.provenance-lens.yaml', POLICY);
  write(root, '.vscode/settings.json', `${JSON.stringify(settings, null, 2)}\n`);
  write(root, 'README.md', README);
  // Git is what gives goreleaser `{{ .Tag }}`: the checkout of the release.
  commitAndTag(root, DEMO_TAG);
}
