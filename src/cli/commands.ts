import type { CliCommand } from './io';

/**
 * A command as `--help` lists it, and how to load it. Each command's module (and the engines it
 * imports: the registry client, the verifier, the GoReleaser reader) is loaded only when that
 * command runs, so `--version`, `--help` and a command that needs no registry do not read or
 * compile the others (scripts/build.mjs splits the CLI bundle at these imports).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CliCommand>;
}

/** Every CLI command, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'inspect',
    summary: "show an image's platforms, signatures, attestations and SBOMs, in every format",
    load: async () => (await import('./inspect.js')).inspectCommand,
  },
  { name: 'tags', summary: "list a repository's release tags, newest first", load: async () => (await import('./tags.js')).tagsCommand },
  {
    name: 'verify',
    summary: "verify an image's signatures and attestations, for the index and every platform",
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    name: 'verify-blob',
    summary: 'verify a Sigstore bundle over a file or digest (sigstore-conformance protocol)',
    load: async () => (await import('./verify-blob.js')).verifyBlobCommand,
  },
  {
    name: 'provenance',
    summary: 'show the SLSA provenance of each platform, from every attestation format (not verified)',
    load: async () => (await import('./provenance.js')).provenanceCommand,
  },
  {
    name: 'diff',
    summary: 'what changed between two images: platforms, signers, attestations, provenance, SBOM packages',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  {
    name: 'release',
    summary: 'list every image a GoReleaser config publishes, rendered for a tag, with its traps',
    load: async () => (await import('./release.js')).releaseCommand,
  },
  {
    name: 'refs',
    summary: 'list the image references of Dockerfiles, compose files, manifests, charts, workflows and GoReleaser configs',
    load: async () => (await import('./refs.js')).refsCommand,
  },
];
