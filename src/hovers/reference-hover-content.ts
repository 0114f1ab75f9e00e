// What a hover over an image reference of a Dockerfile, compose file, Kubernetes manifest,
// kustomization, Helm values file or workflow says, in the goreleaser hover's shape and rendering
// (src/goreleaser/hover-markdown.ts): the verdict and why, the links, then the reference as written
// and as read, what it waits for, the digest and platforms. An image the policy says nothing about
// reads "no policy for this image", never a verdict. Pure (no vscode).
import type { ImageHover } from '../goreleaser/hover-markdown';
import { commandLink } from '../goreleaser/hover-markdown';
import type { FileKind, ReferenceSite } from '../references/types';
import { causesShort } from '../releases/cause-words';
import { NO_POLICY } from '../releases/policy-coverage';
import type { ImageLoad } from '../releases/types';
import { causesOf } from '../releases/verification';
import { sentence } from '../views/verdict-text';
import type { HoverCommands } from './hover-content';
import { loadWords } from './verdict-words';

/** What the image is to the file, by kind and where it was found. */
export function referenceRole(kind: FileKind, via: string): string {
  switch (kind) {
    case 'dockerfile':
      return via === 'FROM' ? 'base image' : via === '# syntax' ? 'Dockerfile frontend (BuildKit pulls it)' : `image read by ${via}`;
    case 'compose':
      return 'service image';
    case 'kubernetes':
      return via.includes('volumes[') ? 'image volume' : 'container image';
    case 'kustomization':
      return 'image the kustomization sets';
    case 'helm-values':
      return "image of the chart's values";
    case 'github-workflow':
      return via.endsWith('.uses') ? 'image a step runs' : 'job container image';
    case 'goreleaser':
      return 'published image';
  }
}

/** Where a value the reference waits for comes from, by kind. */
export function whereFrom(kind: FileKind, variable: string): string {
  switch (kind) {
    case 'dockerfile':
      return 'an ARG without a default: given with --build-arg when the image is built';
    case 'compose':
      return 'a variable with no value in the .env beside this file: compose takes it from the shell';
    case 'github-workflow':
      return 'an expression known only when the workflow runs';
    case 'helm-values':
      return variable === 'tag'
        ? 'no tag is written and the Chart.yaml beside this file has no appVersion'
        : 'a template value, known only when the chart is rendered';
    default:
      return 'a template value, known only when the file is rendered';
  }
}

export interface ReferenceHoverInput {
  readonly kind: FileKind;
  readonly site: ReferenceSite;
  /** As the release service knows it (normalised), or null when it cannot be read. */
  readonly reference: string | null;
  readonly load: ImageLoad | undefined;
  /** Whether the policy says anything about the image; undefined while unknown. */
  readonly covered: boolean | undefined;
  /** Set when the written digest drifted: the Problems text, said first. */
  readonly drift?: string;
}

export function referenceHover(input: ReferenceHoverInput, ids: HoverCommands): ImageHover {
  const { kind, site, reference, load } = input;
  const links: string[] = [];
  let digest: string | undefined;
  let platforms: readonly string[] = [];
  let verdict: string | undefined;
  let cause: string | undefined;
  let short: string | undefined;
  let reasons: string[] = [];
  if (reference !== null) {
    if (load?.status === 'loaded') {
      digest = load.graph.digest;
      platforms = load.graph.platforms.map((p) => p.platform);
    }
    if (input.covered === false) {
      verdict = NO_POLICY;
      if (load?.status === 'failed') reasons = [load.failure.message];
    } else {
      const words = loadWords(load);
      verdict = words.text === '…' ? '… reading the registry' : words.text;
      if (load?.status === 'loaded' && load.verification) {
        const causes = causesOf(load.verification);
        cause = causes[0]?.message;
        short = causesShort(causes);
        reasons = causes.slice(1, 4).map((c) => sentence(c.message));
      } else if (load?.status === 'loaded' && load.verificationFailure) reasons = [`Verification could not run: ${load.verificationFailure.message}`];
      else if (load?.status === 'failed') reasons = [load.failure.message];
    }
    if (input.drift !== undefined) reasons = [input.drift, ...reasons];
    if (load?.status === 'failed' && load.failure.code === 'UNAUTHORIZED' && load.failure.registry)
      links.push(commandLink(`Sign in to ${load.failure.registry}`, ids.signIn, [load.failure.registry]));
    links.push(
      commandLink('Verify', ids.verify, [reference]),
      commandLink('Show provenance', ids.showProvenance, [reference]),
      commandLink('Reveal in Releases', ids.reveal, [reference]),
    );
  }
  return {
    origin: site.via,
    role: referenceRole(kind, site.via),
    template: site.raw,
    templateLabel: 'Written',
    ...(site.reference !== null && !site.unresolved?.length ? { reference: site.reference } : {}),
    ...(site.reference !== null && site.unresolved?.length ? { preview: site.reference } : {}),
    unresolved: (site.unresolved ?? []).map((v) => [v, whereFrom(kind, v)] as const),
    ...(site.platform !== undefined ? { skipped: `Built for ${site.platform} (--platform).` } : {}),
    platforms,
    ...(digest !== undefined ? { digest } : {}),
    ...(verdict !== undefined ? { verdict } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(short !== undefined ? { causeShort: short } : {}),
    reasons,
    links,
  };
}
