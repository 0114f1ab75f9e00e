// What a hover over an image reference of a goreleaser file says, as markdown: the template, the
// rendered reference (or what it waits for and where to set it), the digest, platforms and verdict
// the engines found, and links to our commands. Pure (no vscode), so the words and the escaping
// are unit-tested; the provider (hover.ts) only adds the editor's objects.
import type { ImageHover } from '../goreleaser/hover-markdown';
import { commandLink, imageHoverMarkdown } from '../goreleaser/hover-markdown';
import type { ResolvedImage } from '../goreleaser/resolve';
import type { ResolvedSign } from '../goreleaser/sign';
import { codeSpan, escapeMarkdown } from '../goreleaser/hover-markdown';
import { variableSource } from '../goreleaser/template-context';
import type { ImageLoad } from '../releases/types';
import { causesShort } from '../releases/cause-words';
import { causesOf } from '../releases/verification';
import { sentence } from '../views/verdict-text';
import { loadWords } from './verdict-words';

/** The command ids the links may name; the edge trusts exactly these. */
export interface HoverCommands {
  readonly verify: string;
  readonly showProvenance: string;
  readonly reveal: string;
  readonly setEnv: string;
  readonly signIn: string;
}

export const ENV_SETTING = 'provenanceLens.goreleaser.env';

/** Where the value of an unresolved variable comes from, and how to give it. */
export function whereToSet(variable: string): string {
  switch (variableSource(variable)) {
    case 'env':
      return `an environment variable of the release job: give it a value in the setting ${ENV_SETTING}`;
    case 'tag':
      return 'the git tag being released: tag the repository, or pick a tag for this file with "Switch tag…" in the Releases view';
    case 'git':
      return 'the git checkout: open the folder as a trusted workspace that is a git repository';
    case 'config':
      return 'project_name in this file';
    case 'module':
      return 'the Go module: the go.mod beside this file';
    case 'clock':
      return 'the time of the release: known only when GoReleaser runs';
    case 'release':
      return 'known only while GoReleaser runs';
  }
}

const ROLE: Record<ResolvedImage['role'], string> = {
  image: 'pushed image',
  manifest: 'manifest list',
  'manifest-input': 'image assembled into the manifest list',
};

const SKIP: Record<NonNullable<ResolvedImage['skip']>, string> = {
  empty: 'Not pushed: a part of the name renders empty.',
  skip_push: 'Not pushed: skip_push is true for this release.',
  prerelease: 'Not pushed: skip_push is auto and this tag is a pre-release.',
  disabled: 'Not pushed: disable is true for this release.',
};

const envName = (variable: string): string | undefined => (variable.startsWith('.Env.') ? variable.slice('.Env.'.length) : undefined);

/** The hover model of one image, given its load state (undefined: not rendered, or not asked). */
export function imageHover(image: ResolvedImage, reference: string | null, load: ImageLoad | undefined, ids: HoverCommands): ImageHover {
  const links: string[] = [];
  let digest: string | undefined;
  let platforms: readonly string[] = image.platforms;
  let verdict: string | undefined;
  let cause: string | undefined;
  let causeShort: string | undefined;
  let reasons: string[] = [];
  if (reference !== null) {
    const words = loadWords(load);
    verdict = words.text === '…' ? '… reading the registry' : words.text;
    if (load?.status === 'loaded') {
      digest = load.graph.digest;
      platforms = load.graph.platforms.map((p) => p.platform);
      // Why, in the engine's words: the first cause beside the verdict, the others below.
      if (load.verification) {
        const causes = causesOf(load.verification);
        cause = causes[0]?.message;
        causeShort = causesShort(causes);
        reasons = causes.slice(1, 4).map((c) => sentence(c.message));
      } else if (load.verificationFailure) reasons = [`Verification could not run: ${load.verificationFailure.message}`];
    } else if (load?.status === 'failed') {
      reasons = [load.failure.message];
      if (load.failure.code === 'UNAUTHORIZED' && load.failure.registry)
        links.push(commandLink(`Sign in to ${load.failure.registry}`, ids.signIn, [load.failure.registry]));
    }
    links.push(
      commandLink('Verify', ids.verify, [reference]),
      commandLink('Show provenance', ids.showProvenance, [reference]),
      commandLink('Reveal in Releases', ids.reveal, [reference]),
    );
  }
  for (const v of image.unresolved) {
    const name = envName(v);
    if (name !== undefined && /^\w+$/.test(name)) links.push(commandLink(`Set ${name}…`, ids.setEnv, [name]));
  }
  return {
    origin: `${image.section}[${image.index}]`,
    ...(image.id !== undefined ? { id: image.id } : {}),
    role: ROLE[image.role],
    template: image.template,
    ...(image.reference !== null ? { reference: image.reference } : {}),
    ...(image.preview !== undefined ? { preview: image.preview } : {}),
    unresolved: image.unresolved.map((v) => [v, whereToSet(v)] as const),
    ...(image.error ? { error: image.error.message } : {}),
    ...(image.skip ? { skipped: SKIP[image.skip] } : {}),
    platforms,
    ...(digest !== undefined ? { digest } : {}),
    ...(verdict !== undefined ? { verdict } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(causeShort !== undefined ? { causeShort } : {}),
    reasons,
    links,
  };
}

/** Several images under one cursor (a tag list shared through an anchor): at most `max`, then a count. */
export function hoverMarkdown(parts: readonly ImageHover[], max = 4): string {
  const shown = parts.slice(0, max).map(imageHoverMarkdown);
  if (parts.length > max) shown.push(`*and ${parts.length - max} more image references use this value*`);
  return shown.join('\n\n---\n\n');
}

/** A hover over `--sign-container-identity`: what each signature will claim. */
export function signHoverMarkdown(sign: ResolvedSign): string {
  const lines = [
    `**docker\\_signs\\[${sign.index}\\]** ${codeSpan(sign.id, 80)} · signs ${sign.signs.length === 1 ? '1 image' : `${sign.signs.length} images`}`,
  ];
  lines.push('The signature payload claims this name as `critical.identity.docker-reference`; the signature is stored beside the signed image.');
  sign.claims.slice(0, 6).forEach((c, n) => {
    const signed = c.artifact ?? sign.signs[n]?.preview ?? '(not rendered)';
    const claimed = c.identity ?? c.preview ?? '(not rendered)';
    lines.push(`- ${codeSpan(signed)} → claims ${codeSpan(claimed)}`);
  });
  if (sign.claims.length > 6) lines.push(`- ${escapeMarkdown(`and ${sign.claims.length - 6} more`)}`);
  const vars = [...new Set([...sign.signs.flatMap((i) => i.unresolved), ...sign.claims.flatMap((c) => c.unresolved)])];
  if (vars.length) lines.push(`Needs ${vars.map((v) => codeSpan(v, 80)).join(', ')}.`);
  return lines.join('\n\n').replace(/\n\n- /g, '\n- ');
}
