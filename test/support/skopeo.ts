// skopeo (containers/image, the Go library behind podman, CRI-O and skopeo) as the oracle of what a
// container runtime pulls: for a platform, which image of an index it selects. `inspect` with
// --override-os/--override-arch reports the selected image's layers (its "Digest" is the
// index's own); `--config` prints the selected image's config.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Selection {
  /** The selected image's layer digests (inspect), or its config (inspect --config). */
  readonly layers?: readonly string[];
  readonly config?: Record<string, unknown>;
  /** skopeo's error when it selects nothing it can read. */
  readonly error?: string;
}

function platformArgs(platform: string): string[] {
  const [os = '', architecture = '', variant] = platform.split('/');
  return ['--override-os', os, '--override-arch', architecture, ...(variant ? ['--override-variant', variant] : [])];
}

/** What `skopeo inspect` selects for `platform` from `docker://ref` (plain HTTP, loopback registry). */
export async function skopeoSelects(ref: string, platform: string): Promise<Selection> {
  try {
    const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', ...platformArgs(platform), `docker://${ref}`], { timeout: 30_000 });
    return { layers: (JSON.parse(stdout) as { Layers?: string[] }).Layers ?? [] };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}

/** The config of the image `skopeo` selects for `platform` from an OCI layout (`oci:DIR:tag`). */
export async function skopeoConfigFromLayout(dir: string, tag: string, platform: string): Promise<Selection> {
  try {
    const { stdout } = await run('skopeo', ['inspect', '--config', ...platformArgs(platform), `oci:${dir}:${tag}`], { timeout: 30_000 });
    return { config: JSON.parse(stdout) as Record<string, unknown> };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}
