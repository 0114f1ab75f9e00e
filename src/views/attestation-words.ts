// What the attestations added to an image from outside its registry (bundle files, GitHub's
// attestations API) did, in the one sentence the command's notification says. Pure (no vscode),
// so the words are unit-tested.
import type { ArtifactFormat, ImageGraph } from '../model/image-graph';
import { VERDICTS, worse } from '../model/verdict';
import type { ArtifactState } from '../model/verdict';
import { shownVerdict } from '../releases/verdict';
import { artifactCause } from '../releases/verification';
import type { ImageVerification } from '../releases/verification';
import { imageNameAndHost } from './image-name';
import { plural, verdictText } from './verdict-text';

/**
 * `github_provenance_demo.jsonl: 1 attestation for app:v1, verification failed. The attestation
 * on the index does not verify: … Image verdict: unsigned.` `from` names where they came from;
 * `files`, the bundle files just added (others added before are not counted).
 */
export function addedAttestationsSentence(
  graph: ImageGraph,
  verification: ImageVerification | undefined,
  format: Extract<ArtifactFormat, 'bundle-file' | 'github-api'>,
  from: string,
  files?: readonly string[],
): string {
  const name = imageNameAndHost(graph.reference).name;
  // Bundle files: only those just added (`<file>`, or `<file>:<line>` of a .jsonl), not the ones added before.
  const mine = (origin: string | undefined): boolean => files === undefined || files.some((f) => origin === f || origin?.startsWith(`${f}:`) === true);
  const added = graph.artifacts.flatMap((a, i) => (a.format === format && mine(a.origin) ? [verification?.artifacts[i]] : []));
  const now = `Image verdict: ${verdictText(shownVerdict(graph, verification))}.`;
  if (added.length === 0) return `${from}: no attestation for ${name}. ${now}`;
  const states = new Map<ArtifactState | 'not-verified', number>();
  for (const r of added) states.set(r?.state ?? 'not-verified', (states.get(r?.state ?? 'not-verified') ?? 0) + 1);
  const counts = [...states].map(([state, n]) => (states.size === 1 ? VERDICTS[state].long : `${n} ${VERDICTS[state].long}`)).join(', ');
  // The worst one's cause, in the engine's words: why an added attestation does not count (the
  // image's cause about it, else its first failing check, as the panel's card leads with).
  const worst = added.reduce<(typeof added)[number]>(
    (w, r) => (r !== undefined && (w === undefined || worse(r.state, w.state) === r.state) ? r : w),
    undefined,
  );
  const cause =
    verification !== undefined && worst !== undefined && worst.state !== 'verified'
      ? (artifactCause(verification, worst)?.message ?? worst.checks.find((c) => c.status === 'fail')?.message)
      : undefined;
  return `${from}: ${plural(added.length, 'attestation')} for ${name}, ${counts}.${cause !== undefined ? ` ${cause}` : ''} ${now}`;
}
