import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { LensError } from '../core/errors';
import { parseReference } from '../registry/reference';
import { buildGraph } from '../registry/graph';
import { openReference } from '../registry/open';
import { CREDENTIALS_NOTE, withRegistryClient, registryOptionSpec } from './registry-options';
import { renderTree } from './tree';

const OPTIONS = {
  json: { type: 'boolean', help: 'machine-readable output (shape: docs/inspect-json.md)' },
  ...registryOptionSpec,
} as const;

const usage = `Usage: provenance-lens inspect <reference> [options]

Prints the supply-chain graph of an image: its index, every platform manifest, BuildKit
attestations in the index, cosign signatures/attestations/SBOMs (sha256-<hex>.sig/.att/.sbom)
for the index and every platform digest, and OCI referrers (API, or the sha256-<hex> tag schema).

<reference>   registry/repository[:tag][@digest], or oci-layout:/path[:tag|@digest]

Options:
${optionHelp(OPTIONS)}
${CREDENTIALS_NOTE}`;

export const inspectCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(args, OPTIONS, 'inspect');
    if (positionals.length !== 1) throw new LensError('USAGE', `inspect takes exactly one reference.\n${usage}`);
    const ref = parseReference(positionals[0]!);
    return withRegistryClient(values, io, async (client, signal) => {
      const { source, target } = openReference(ref, client);
      const graph = await buildGraph(source, target, { signal, signatureRepository: values['signature-repository'] });
      io.stdout.write(values.json ? `${JSON.stringify(graph, null, 2)}\n` : renderTree(graph));
      return Exit.ok;
    });
  },
};
