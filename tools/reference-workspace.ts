// A large workspace of image-bearing files for `npm run bench` (bench/refs-walk.ts): the real
// files vendored under test/fixtures/real (Dockerfiles, compose files with their .env, Kubernetes
// manifests, a kustomization, Helm values with their Chart.yaml and a chart template, GitHub
// workflows) copied byte for byte into one folder per service until the workspace holds `files`
// files that name images, the way a monorepo repeats the same few shapes.
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

export interface ReferenceWorkspace {
  readonly root: string;
  /** Files that name images (the walk reads and parses each). */
  readonly files: number;
  /** Every file written, the .env and Chart.yaml files included. */
  readonly written: number;
  readonly bytes: number;
}

/** Writes the workspace under `root` (created); `files` image-bearing files in service folders of 14. */
export function writeReferenceWorkspace(root: string, files: number): ReferenceWorkspace {
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
  for (let service = 0; count < files; service++) {
    const folder = join(root, `services`, `svc-${String(service).padStart(4, '0')}`);
    const put = (path: string, fixture: readonly string[]): void => {
      const target = join(folder, path);
      mkdirSync(dirname(target), { recursive: true });
      const body = read(fixture);
      writeFileSync(target, body);
      written++;
      bytes += body.length;
    };
    for (const [path, fixture] of SERVICE) {
      if (count === files) break;
      put(path, fixture);
      count++;
    }
    for (const [path, fixture] of BESIDE) put(path, fixture);
  }
  return { root, files: count, written, bytes };
}
