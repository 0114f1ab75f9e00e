// What the commands work with: the services the composition root (extension.ts) built.
import type * as vscode from 'vscode';
import type { ReleaseService } from '../releases/release-service';
import type { RegistrySecrets } from '../host/credentials';
import type { Engines } from '../host/engines';
import type { HostLog } from '../host/log';
import type { ReleaseSources } from '../host/release-sources';
import type { ExtensionState } from '../host/state';
import type { LensSettings } from '../host/config';
import type { TreeNode } from '../views/nodes';
import type { ReleaseTree } from '../views/release-tree';
import type { JsonDocuments } from '../views/json-documents';
import type { ImagePanelDeps } from '../panel/image-panel';
import type { DiffPanelDeps } from '../panel/diff-panel';
import type { ExternalAttestations } from '../host/external-attestations';

export interface LensServices {
  readonly context: vscode.ExtensionContext;
  readonly log: HostLog;
  readonly engines: Engines;
  readonly service: ReleaseService;
  readonly tree: ReleaseTree;
  readonly view: vscode.TreeView<TreeNode>;
  readonly state: ExtensionState;
  readonly secrets: RegistrySecrets;
  readonly sources: ReleaseSources;
  readonly documents: JsonDocuments;
  readonly settings: () => LensSettings;
  /** What the image panel loads with (src/panel/panel-deps.ts). */
  readonly panel: ImagePanelDeps;
  /** What the diff view compares with (src/panel/diff-deps.ts). */
  readonly diff: DiffPanelDeps;
  /** Attestations added from outside the registry: bundle files, GitHub's API (host/external-attestations.ts). */
  readonly attestations: ExternalAttestations;
  /** Re-reads the release sources into the service. */
  reloadReleases(): Promise<void>;
}
