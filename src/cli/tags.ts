import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { LensError } from '../core/errors';
import { parseReference } from '../registry/reference';
import { openReference } from '../registry/open';
import { releaseTags, sortTags } from '../registry/tag-order';
import { CREDENTIALS_NOTE, withRegistryClient, registryOptionSpec } from './registry-options';

const OPTIONS = {
  all: { type: 'boolean', help: 'list every tag, cosign and referrers-schema tags too' },
  json: { type: 'boolean', help: 'machine-readable output: {repository, tags, unfinished?}' },
  ...registryOptionSpec,
} as const;

const usage = `Usage: provenance-lens tags <repository> [options]

Lists a repository's tags, newest release first (semantic versions, then the rest).
cosign (sha256-<hex>.sig/.att/.sbom) and referrers-schema tags are hidden unless --all.

Options:
${optionHelp(OPTIONS)}
${CREDENTIALS_NOTE}`;

export const tagsCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(args, OPTIONS, 'tags');
    if (positionals.length !== 1) throw new LensError('USAGE', `tags takes exactly one repository.\n${usage}`);
    const ref = parseReference(positionals[0]!);
    if (ref.tag || ref.digest)
      throw new LensError('USAGE', `tags takes a repository without a tag or digest, e.g. ${positionals[0]!.replace(/[:@][^/]*$/, '')}.`);
    return withRegistryClient(values, io, async (client, signal) => {
      const { source, target } = openReference(ref, client);
      const all = await source.listTags(target.repository, { signal });
      const tags = values.all ? sortTags(all) : releaseTags(all);
      // A list cut short is still printed, and said to be partial (newest-first order may miss some).
      if (all.unfinished) io.stderr.write(`warning: ${target.reference}: ${all.unfinished}; the list is partial.\n`);
      io.stdout.write(
        values.json
          ? `${JSON.stringify({ repository: target.reference, tags, ...(all.unfinished ? { unfinished: all.unfinished } : {}) }, null, 2)}\n`
          : tags.map((t) => `${t}\n`).join(''),
      );
      return Exit.ok;
    });
  },
};
