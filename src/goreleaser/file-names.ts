/**
 * The names GoReleaser looks for as its default config files (`.goreleaser.yaml`,
 * `.goreleaser.yml`, `goreleaser.yaml`, `goreleaser.yml`), anywhere in a workspace, as a glob
 * for file watchers, searches and document selectors.
 * https://goreleaser.com/customization/
 */
export const GORELEASER_GLOB = '**/{.goreleaser,goreleaser}.{yml,yaml}';
