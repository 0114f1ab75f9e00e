// Hover over an image reference of a goreleaser file. The engines' answer comes from the release
// service's shared, cached load of that reference: the first hover starts it and waits a short
// while; if it is not done by then the hover says so ("… reading the registry") and the load goes
// on, so the next hover answers from the cache. The hover's cancellation stops the wait, never
// the shared load (the Releases view and the lenses use it too).
import * as vscode from 'vscode';
import { CommandIds } from '../host/ids';
import { referencesAt } from '../goreleaser/references';
import type { ResolvedImage } from '../goreleaser/resolve';
import { abortSignalOf } from '../host/cancellation';
import type { GoreleaserFeatureDeps } from './deps';
import { GoreleaserCommandIds } from './deps';
import { loadWithin } from './load-within';
import type { GoreleaserDocuments } from './documents';
import type { HoverCommands } from './hover-content';
import { hoverMarkdown, imageHover, signHoverMarkdown } from './hover-content';
import { serviceReference } from '../releases/image-list';
import { toRange } from './ranges';

/** How long a hover waits for the registry before it answers with what it has. */
export const HOVER_WAIT_MS = 1500;

export const HOVER_COMMANDS: HoverCommands = {
  verify: CommandIds.verifyImage,
  showProvenance: CommandIds.showProvenance,
  reveal: GoreleaserCommandIds.reveal,
  setEnv: GoreleaserCommandIds.setEnv,
  signIn: CommandIds.signIn,
};

/** The only commands hover markdown may run. */
export const TRUSTED_COMMANDS: readonly string[] = Object.values(HOVER_COMMANDS);

export function markdown(value: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, false);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [...TRUSTED_COMMANDS] };
  return md;
}

export class GoreleaserHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: GoreleaserDocuments,
    private readonly deps: GoreleaserFeatureDeps,
    private readonly waitMs = HOVER_WAIT_MS,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const model = await this.documents.model(document);
    if (!model || token.isCancellationRequested) return undefined;
    const offset = document.offsetAt(position);
    const { analysis, release } = model;
    const sign = release.signs.find((s) => s.identity && !s.identity.defaulted && offset >= s.identity.range.start && offset <= s.identity.range.end);
    if (sign?.identity) return new vscode.Hover(markdown(signHoverMarkdown(sign)), toRange(document, sign.identity.range));
    const refs = referencesAt(analysis.references, offset);
    if (refs.length === 0) return undefined;
    const images = refs.map((r) => release.images[analysis.references.indexOf(r)]).filter((i): i is ResolvedImage => i !== undefined);
    const linked = abortSignalOf(token);
    try {
      const parts = await Promise.all(
        images.slice(0, 4).map(async (image) => {
          const reference = serviceReference(image);
          const load = reference === null ? undefined : await loadWithin(this.deps.service, reference, this.waitMs, linked.signal);
          return imageHover(image, reference, load, HOVER_COMMANDS);
        }),
      );
      if (token.isCancellationRequested) return undefined;
      const rest = images.slice(4).map((image) => imageHover(image, serviceReference(image), undefined, HOVER_COMMANDS));
      return new vscode.Hover(markdown(hoverMarkdown([...parts, ...rest])), toRange(document, hoveredRange(images[0]!, offset)));
    } finally {
      linked.dispose();
    }
  }
}

/** The scalar under the cursor: the image or the tag of a pair, or the alias that leads to it. */
function hoveredRange(image: ResolvedImage, offset: number): ResolvedImage['range'] {
  const candidates = [image.scalar, image.pair?.image, image.pair?.tag].filter((s) => s !== undefined && !s.defaulted);
  for (const s of candidates) {
    if (s!.aliasRange && offset >= s!.aliasRange.start && offset <= s!.aliasRange.end) return s!.aliasRange;
    if (offset >= s!.range.start && offset <= s!.range.end) return s!.range;
  }
  return image.range;
}
