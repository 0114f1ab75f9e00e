/**
 * Images of a GitHub Actions workflow (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions):
 * `jobs.<id>.container` (a string, or a mapping with `image`), `jobs.<id>.services.<name>.image`,
 * and steps that run an image directly, `uses: docker://<image>`. A value with a `${{ … }}`
 * expression is unresolved; action inputs (`with:`) are not images.
 */
import type { Scalar } from 'yaml';
import { isMap, isScalar } from 'yaml';
import type { LineIndex } from './positions';
import { site } from './positions';
import { githubExpressions } from './templates';
import type { FileReferences } from './types';
import { SiteList, contentRange, entries, get, getMap, getScalar, items, parseYamlDocuments, scalarText } from './yaml-nodes';

const DOCKER_USES = 'docker://';

const expressions = (raw: string) => {
  const e = githubExpressions(raw);
  return e.length ? { reference: null, unresolved: e } : { reference: raw.trim() };
};

function dockerStep(lines: LineIndex, list: SiteList, uses: Scalar, via: string): void {
  const raw = scalarText(uses);
  if (!raw?.startsWith(DOCKER_USES) || !uses.range || !list.once(uses.range[0])) return;
  const image = raw.slice(DOCKER_USES.length);
  const { start } = contentRange(uses);
  const r = expressions(image);
  list.sites.push(site(lines, { ...r, raw: image, start: start + DOCKER_USES.length, end: start + raw.length, via }));
}

export function githubWorkflowReferences(text: string, lines: LineIndex): FileReferences {
  const { sources, problems } = parseYamlDocuments(text, lines);
  const list = new SiteList(lines);
  for (const source of sources) {
    const root = source.doc.contents;
    if (!isMap(root)) continue;
    const jobs = getMap(source, root, 'jobs');
    if (!jobs) continue;
    for (const [id, job] of entries(source, jobs)) {
      if (!isMap(job)) continue;
      const container = get(source, job, 'container')?.node;
      if (container && isScalar(container)) list.add(container, `jobs.${id}.container`, expressions);
      else if (container && isMap(container)) {
        const image = getScalar(source, container, 'image');
        if (image) list.add(image, `jobs.${id}.container.image`, expressions);
      }
      const services = getMap(source, job, 'services');
      for (const [name, service] of services ? entries(source, services) : []) {
        const image = isMap(service) ? getScalar(source, service, 'image') : undefined;
        if (image) list.add(image, `jobs.${id}.services.${name}.image`, expressions);
      }
      for (const [n, step] of items(source, get(source, job, 'steps')?.node).entries()) {
        const uses = isMap(step) ? getScalar(source, step, 'uses') : undefined;
        if (uses) dockerStep(lines, list, uses, `jobs.${id}.steps[${n}].uses`);
      }
    }
  }
  return { kind: 'github-workflow', references: list.sites, problems };
}
