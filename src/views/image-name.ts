// An image reference split the way a narrow row reads it: the repository and tag first
// (`rancher/fleet:v0.13.0`), where it lives after (`127.0.0.1:33869`, `docker.io`, a layout's
// folder). At the side bar's default width a row shows about 40 characters: a registry host in
// front would take them all. Pure (no vscode), so the split is unit-tested.
import { shortDigest } from '../registry/digest';
import { parseReference } from '../registry/reference';

export interface ImageName {
  /** `rancher/fleet:v0.13.0`, `nginx:1.27`, `app@sha256:1a2b3c4d`; `rancher/fleet` under a release of its tag. */
  readonly name: string;
  /** `127.0.0.1:33869`, `docker.io`, `oci-layout:/path/to`; empty when the reference cannot be read. */
  readonly host: string;
}

/** `reference` split; `releaseTag`: the tag of the release it is listed under, left out of the name when it is the image's. */
export function imageNameAndHost(reference: string, releaseTag?: string): ImageName {
  let ref;
  try {
    ref = parseReference(reference);
  } catch {
    return { name: reference, host: '' };
  }
  const version =
    ref.digest !== undefined && ref.tag === undefined ? `@${shortDigest(ref.digest)}` : ref.tag !== undefined && ref.tag !== releaseTag ? `:${ref.tag}` : '';
  if (ref.kind === 'oci-layout') {
    const cut = ref.path.replace(/\/+$/, '').lastIndexOf('/');
    return { name: `${ref.path.slice(cut + 1)}${version}`, host: `oci-layout:${cut > 0 ? ref.path.slice(0, cut) : '/'}` };
  }
  const repository = ref.registry === 'docker.io' && ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
  return { name: `${repository}${version}`, host: ref.registry };
}
