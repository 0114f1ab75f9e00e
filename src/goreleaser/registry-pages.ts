/**
 * The web page of an image repository on the registries whose page addresses follow a fixed,
 * documented scheme, for document links from a .goreleaser.yaml. Only https pages of the
 * registry's own site; anything else (private registries, loopback, clouds whose console URL
 * needs a project we do not know) has no page rather than a guessed one.
 */
import { parseRegistryReference } from '../registry/reference';

export interface RegistryPage {
  /** https only. */
  readonly url: string;
  /** `Docker Hub`, `GitHub Packages`, `Quay`, `Amazon ECR Public Gallery`. */
  readonly site: string;
  /** The repository as the site names it (`rancher/fleet`). */
  readonly repository: string;
}

const seg = (s: string): string => encodeURIComponent(s);

/** The page of the repository `reference` names, when its registry has a known scheme. */
export function registryPage(reference: string): RegistryPage | undefined {
  let ref;
  try {
    ref = parseRegistryReference(reference);
  } catch {
    return undefined;
  }
  const parts = ref.repository.split('/');
  const [first = '', ...rest] = parts;
  switch (ref.registry) {
    case 'docker.io':
      // Official images live under library/ and have their own page (/_/name).
      if (first === 'library' && rest.length === 1) return { url: `https://hub.docker.com/_/${seg(rest[0]!)}`, site: 'Docker Hub', repository: rest[0]! };
      if (parts.length === 2) return { url: `https://hub.docker.com/r/${seg(first)}/${seg(rest[0]!)}`, site: 'Docker Hub', repository: ref.repository };
      return undefined;
    case 'ghcr.io': {
      // A package is listed under the repository it is linked to; GoReleaser-published images are
      // conventionally named after it (ghcr.io/<owner>/<repo>[/<sub>]). Nested names are one
      // package whose name keeps the slash, encoded.
      if (rest.length === 0) return undefined;
      const pkg = rest.join('/');
      return { url: `https://github.com/${seg(first)}/${seg(rest[0]!)}/pkgs/container/${seg(pkg)}`, site: 'GitHub Packages', repository: ref.repository };
    }
    case 'quay.io':
      if (parts.length !== 2) return undefined;
      return { url: `https://quay.io/repository/${seg(first)}/${seg(rest[0]!)}`, site: 'Quay', repository: ref.repository };
    case 'public.ecr.aws':
      if (parts.length !== 2) return undefined;
      return { url: `https://gallery.ecr.aws/${seg(first)}/${seg(rest[0]!)}`, site: 'Amazon ECR Public Gallery', repository: ref.repository };
    default:
      return undefined;
  }
}
