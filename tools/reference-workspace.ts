// A large workspace for `npm run bench` (bench/refs-walk.ts): the real files vendored under
// test/fixtures/real that name images (Dockerfiles, compose files with their .env, Kubernetes
// manifests, a kustomization, Helm values with their Chart.yaml and a chart template, GitHub
// workflows) copied byte for byte into one folder per service, the way a monorepo repeats the same
// few shapes, beside the service's other files: its Go sources and tests, docs and a YAML config
// that is no manifest (only the config is read by a walk; the others are skipped by name).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { realFixture } from '../test/support/real-fixtures';

/** One service folder: where each real file goes (its path inside the folder) and where it comes from. */
const SERVICE: ReadonlyArray<readonly [path: string, fixture: readonly string[]]> = [
  ['Dockerfile', ['dockerfile', 'rancher-fleet', 'Dockerfile']],
  ['Dockerfile.agent', ['dockerfile', 'rancher-fleet', 'Dockerfile.agent']],
  ['build/Dockerfile', ['dockerfile', 'docker-buildx', 'Dockerfile']],
  ['hack/Dockerfile', ['dockerfile', 'moby-buildkit', 'Dockerfile']],
  ['docker-compose.yml', ['compose', 'temporalio', 'docker-compose.yml']],
  ['dev/docker-compose.yaml', ['compose', 'apache-airflow', 'docker-compose.yaml']],
  ['deploy/aws-k8s-cni.yaml', ['kubernetes', 'aws-vpc-cni', 'aws-k8s-cni.yaml']],
  ['deploy/cronjob.yaml', ['kubernetes', 'descheduler', 'cronjob.yaml']],
  ['deploy/kustomization.yaml', ['kustomization', 'argo-cd', 'kustomization.yaml']],
  ['chart/values.yaml', ['helm-values', 'rancher-fleet', 'values.yaml']],
  ['chart/templates/deployment.yaml', ['helm-values', 'rancher-fleet', 'templates', 'deployment.yaml']],
  ['charts/descheduler/values.yaml', ['helm-values', 'descheduler', 'values.yaml']],
  ['.github/workflows/container.yaml', ['github-workflow', 'actionlint', 'container_syntax.yaml']],
  ['.github/workflows/docker.yaml', ['github-workflow', 'actionlint', 'docker_steps.yaml']],
];

/** Files read beside the others (not counted): the compose `.env`, the charts' Chart.yaml. */
const BESIDE: ReadonlyArray<readonly [path: string, fixture: readonly string[]]> = [
  ['.env', ['compose', 'temporalio', '.env']],
  ['chart/Chart.yaml', ['helm-values', 'rancher-fleet', 'Chart.yaml']],
  ['charts/descheduler/Chart.yaml', ['helm-values', 'descheduler', 'Chart.yaml']],
];

/** A service's files that name no image: skipped by name, except the YAML config, read and found to be no manifest. */
const OTHERS: ReadonlyArray<readonly [path: string, text: string]> = [
  ...['main', 'server', 'handlers', 'config', 'store', 'metrics', 'auth', 'client'].flatMap((n) => [
    [`cmd/${n}.go`, `package main\n\n// ${n}\nfunc ${n}() {}\n`] as const,
    [`cmd/${n}_test.go`, `package main\n\nimport "testing"\n\nfunc Test_${n}(t *testing.T) {}\n`] as const,
  ]),
  ['go.mod', 'module example.com/svc\n\ngo 1.22\n'],
  ['go.sum', ''],
  ['README.md', '# A service\n'],
  ['docs/operations.md', '# Operations\n'],
  ['Makefile', 'build:\n\tgo build ./...\n'],
  ['.dockerignore', '.git\n'],
  ['config/settings.yaml', 'log_level: info\nlisten: ":8080"\n'],
];

export interface ReferenceWorkspace {
  readonly root: string;
  /** Every file written. */
  readonly written: number;
  /** Of those, the files that name images (the walk reads and parses each). */
  readonly files: number;
  readonly bytes: number;
}

export interface WorkspaceShape {
  /** Files in all, image-bearing or not (default: the image-bearing files and what is read beside them only). */
  readonly total?: number;
}

/**
 * Writes the workspace under `root` (created), service folder by service folder: with `total`,
 * until it holds that many files, each folder holding its 14 files that name images, the .env
 * and Chart.yaml files read beside them and 23 other files; without, `files` files that name
 * images and what is read beside them, nothing else (the worst case for a walk: every file read
 * and parsed).
 */
export function writeReferenceWorkspace(root: string, files: number, shape: WorkspaceShape = {}): ReferenceWorkspace {
  const texts = new Map<string, Buffer>();
  const read = (fixture: readonly string[]): Buffer => {
    const key = fixture.join('/');
    let b = texts.get(key);
    if (!b) texts.set(key, (b = readFileSync(realFixture(...fixture))));
    return b;
  };
  let count = 0;
  let written = 0;
  let bytes = 0;
  const total = shape.total;
  const more = (): boolean => (total === undefined ? count < files : written < total);
  for (let service = 0; more(); service++) {
    const folder = join(root, `services`, `svc-${String(service).padStart(4, '0')}`);
    const write = (path: string, body: Buffer): void => {
      const target = join(folder, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
      written++;
      bytes += body.length;
    };
    for (const [path, fixture] of SERVICE) {
      if (!more()) break;
      write(path, read(fixture));
      count++;
    }
    for (const [path, fixture] of BESIDE) if (total === undefined || more()) write(path, read(fixture));
    if (total !== undefined) for (const [path, text] of OTHERS) if (more()) write(path, Buffer.from(text));
  }
  return { root, files: count, written, bytes };
}
