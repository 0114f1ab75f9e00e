// A CodeLens above each image section entry (dockers[i], docker_manifests[i], dockers_v2[i],
// kos[i]) with the verdict on the images it pushes, and above each docker_signs[i] with what its
// signatures cover. Drawing a lens asks the release service for the images' state, which starts
// their (shared, cached) loads; each finished load redraws the lenses.
import * as vscode from 'vscode';
import { CommandIds } from '../host/ids';
import type { GoreleaserConfig } from '../goreleaser/config';
import type { ImageSection, SourceRange } from '../goreleaser/types';
import type { ImageLoad } from '../releases/types';
import type { GoreleaserFeatureDeps } from './deps';
import { GoreleaserCommandIds } from './deps';
import type { GoreleaserDocuments } from './documents';
import type { GoreleaserModel } from './release-context';
import { serviceReference } from '../releases/image-list';
import { signedImages, signWords } from './sign-gaps';
import type { EntryImage, Words } from './verdict-words';
import { entryWords, loadWords } from './verdict-words';
import { sentence } from '../views/verdict-text';
import { RedrawnCodeLensProvider } from './lens-redraw';

interface EntryLens {
  readonly label: string;
  readonly range: SourceRange;
  readonly words: Words;
  readonly images: readonly EntryImage[];
}

function entries(config: GoreleaserConfig): { section: ImageSection; index: number; range: SourceRange }[] {
  return [
    ...config.dockers.map((e) => ({ section: 'dockers' as const, index: e.index, range: e.range })),
    ...config.dockerManifests.map((e) => ({ section: 'docker_manifests' as const, index: e.index, range: e.range })),
    ...config.dockersV2.map((e) => ({ section: 'dockers_v2' as const, index: e.index, range: e.range })),
    ...config.kos.map((e) => ({ section: 'kos' as const, index: e.index, range: e.range })),
  ];
}

/** The lenses of a model: one per entry, its images with their load state (starting the loads). */
export function entryLenses(model: GoreleaserModel, state: (reference: string) => ImageLoad): EntryLens[] {
  const { config } = model.analysis;
  const out: EntryLens[] = [];
  for (const e of entries(config)) {
    const seen = new Set<string>();
    const images: EntryImage[] = [];
    for (const i of model.release.images) {
      if (i.section !== e.section || i.index !== e.index || i.role === 'manifest-input') continue;
      const reference = i.published === false ? null : serviceReference(i);
      if (reference !== null && seen.has(reference)) continue;
      if (reference !== null) seen.add(reference);
      images.push({
        reference,
        unresolved: i.unresolved,
        ...(i.published !== undefined ? { published: i.published } : {}),
        ...(i.skip ? { skip: i.skip } : {}),
        ...(reference !== null ? { load: state(reference) } : {}),
      });
    }
    out.push({ label: `${e.section}[${e.index}]`, range: e.range, words: entryWords(images), images });
  }
  for (const s of config.dockerSigns) {
    const states = signedImages(model.release, (r) => {
      const reference = serviceReference({ reference: r });
      return reference === null ? undefined : state(reference);
    }).filter((x) => x.sign.index === s.index);
    const images = states.map((x) => {
      const reference = serviceReference({ reference: x.reference });
      return { reference, unresolved: x.unresolved, ...(x.load ? { load: x.load } : {}) };
    });
    out.push({ label: `docker_signs[${s.index}]`, range: s.range, words: signWords(states), images });
  }
  return out;
}

/** Where a list entry begins: its `-` when only blanks separate it from the mapping (`-` alone on the line above). */
export function itemStart(text: string, mapStart: number): number {
  let i = mapStart - 1;
  while (i >= 0 && /[ \t\r\n]/.test(text[i]!)) i--;
  return i >= 0 && text[i] === '-' ? i : mapStart;
}

/** The image a click should verify: the first that is not fine, else the first. */
function focus(images: readonly EntryImage[]): string | undefined {
  const rendered = images.filter((i) => i.reference !== null);
  return (rendered.find((i) => loadWords(i.load).tone !== 'good') ?? rendered[0])?.reference ?? undefined;
}

function verdictCommand(lens: EntryLens, file: vscode.Uri): vscode.Command {
  const title = lens.words.text;
  const failure = lens.images
    .map((i) => i.load)
    .find((l): l is Extract<ImageLoad, { status: 'failed' }> => l?.status === 'failed' && l.failure.code === 'UNAUTHORIZED');
  if (failure?.failure.registry && lens.words.text.includes('sign in')) {
    return { title, command: CommandIds.signIn, arguments: [failure.failure.registry], tooltip: `Sign in to ${failure.failure.registry}` };
  }
  const reference = focus(lens.images);
  // The title names the failure in a few words; the tooltip says it whole.
  const why = lens.words.cause ? `${sentence(lens.words.cause.message)} ` : '';
  if (reference) return { title, command: CommandIds.verifyImage, arguments: [reference], tooltip: `${why}Verify ${reference}` };
  const env = lens.images.flatMap((i) => i.unresolved).find((v) => /^\.Env\.\w+$/.test(v));
  // The file: the setting is a resource one, stored where it applies to this file.
  if (env) return { title, command: GoreleaserCommandIds.setEnv, arguments: [env.slice('.Env.'.length), file], tooltip: `Set ${env} for this workspace` };
  // Nothing to run: the lens is a label.
  return { title, command: '' };
}

export class GoreleaserCodeLensProvider extends RedrawnCodeLensProvider {
  constructor(
    private readonly documents: GoreleaserDocuments,
    private readonly deps: GoreleaserFeatureDeps,
  ) {
    super();
    const stop = deps.service.onDidChange(() => this.loadsChanged(deps.service));
    this.disposables.push(
      { dispose: stop },
      documents.onDidChange(() => this.redraw()),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const model = await this.documents.model(document);
    if (!model || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const lens of entryLenses(model, (r) => this.deps.service.state(r))) {
      const line = document.positionAt(itemStart(model.analysis.text, lens.range.start)).line;
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, verdictCommand(lens, document.uri)));
      const reference = focus(lens.images);
      if (reference)
        lenses.push(
          new vscode.CodeLens(range, {
            title: 'Reveal in Releases',
            command: GoreleaserCommandIds.reveal,
            arguments: [reference],
            tooltip: `Show ${reference} in the Releases view`,
          }),
        );
    }
    return lenses;
  }
}
