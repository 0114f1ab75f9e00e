// How a comparison is named, in its tab and while it loads: "fleet-agent:v0.12.0 ↔ fleet-agent:v0.13.0".
// Its own file, light: the diff view's tab is named before the engine is loaded.
import { imageNameAndHost } from '../views/image-name';

/** The image's name without its namespace: `fleet-agent:v0.13.0`. */
export function shortImageName(reference: string): string {
  const name = imageNameAndHost(reference).name;
  return name.slice(name.lastIndexOf('/') + 1);
}

export function diffTitle(oldReference: string, newReference: string): string {
  return `${shortImageName(oldReference)} ↔ ${shortImageName(newReference)}`;
}
