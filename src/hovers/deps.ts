// What the goreleaser editor features need from the extension: the release service that loads
// and caches image graphs and verifications (shared with the Releases view, so a hover, a lens
// and a tree node about one image cost one load), the tag picked per file, the log, and the
// Releases view to reveal an image in. `LensServices` (src/commands/context.ts) is one. The
// `.Env` values are read per file (goreleaserEnv in src/host/config.ts): a resource setting.
import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { ReleaseService } from '../releases/release-service';
import type { TreeNode } from '../views/nodes';

export interface GoreleaserFeatureDeps {
  readonly service: Pick<ReleaseService, 'peek' | 'state' | 'ensure' | 'onDidChange' | 'busy'>;
  /** The tag the user picked for a goreleaser file's release (Switch tag…), if any. */
  readonly state: { releaseTag(file: string): string | undefined };
  readonly log: { readonly logger: Logger };
  /** The Releases view, to select an image's node in. */
  readonly tree: { findImage(reference: string): TreeNode | undefined };
  readonly view: vscode.TreeView<TreeNode>;
}

/** Our own commands for links in hovers and lenses (the only ones their markdown may run). */
export const GoreleaserCommandIds = {
  reveal: 'provenanceLens.goreleaser.revealImage',
  setEnv: 'provenanceLens.goreleaser.setEnv',
} as const;
