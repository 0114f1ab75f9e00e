// Tooltips with the evidence behind each node. Registry text is untrusted: every value goes
// through escapePunctuation after safeText; the markdown is never trusted, never HTML.
import * as vscode from 'vscode';
import { decimalSize } from '../core/size';
import { VERDICTS, verdictPhrase } from '../model/verdict';
import type { ImageGraph, PlatformEntry } from '../model/image-graph';
import type { ArtifactEntry } from '../releases/evidence';
import type { LoadFailure, Release, Verdict } from '../releases/types';
import type { ReleaseProgress } from '../releases/verdict';
import type { ArtifactVerification, ImageVerification } from '../releases/verification';
import { causesOf } from '../releases/verification';
import type { Cause } from '../model/cause';
import { artifactPlace, artifactTitle, failureTitle, predicateName, releaseTitle, safeText, signedByText } from './labels';
import { causeLine, plural, sentence, verdictText, withCause } from './verdict-text';
import { escapePunctuation } from '../goreleaser/hover-markdown';

class Tooltip {
  readonly md = new vscode.MarkdownString('', false);
  constructor() {
    this.md.isTrusted = false;
    this.md.supportHtml = false;
  }
  private led = false;
  /** What the tooltip is about: in bold when it comes first, plain under a lead line. */
  title(text: string): this {
    this.md.appendMarkdown(this.led ? `\n${escapePunctuation(safeText(text))}\n\n` : `**${escapePunctuation(safeText(text))}**\n\n`);
    return this;
  }
  row(label: string, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    this.md.appendMarkdown(`${escapePunctuation(label)}: ${escapePunctuation(safeText(value, 2000))}  \n`);
    return this;
  }
  /** The first line: the answer, in bold. */
  lead(text: string): this {
    this.led = true;
    this.md.appendMarkdown(`**${escapePunctuation(safeText(text, 2000))}**\n\n`);
    return this;
  }
  bullet(text: string): this {
    this.md.appendMarkdown(`- ${escapePunctuation(safeText(text, 2000))}\n`);
    return this;
  }
  para(text: string): this {
    this.md.appendMarkdown(`\n${escapePunctuation(safeText(text, 2000))}\n\n`);
    return this;
  }
}

/** `signerChanges`: a sentence per image signed by other signers than the release before, said first. */
export function releaseTooltip(r: Release, s: ReleaseProgress, signerChanges: readonly string[] = []): vscode.MarkdownString {
  const t = new Tooltip();
  const [first, ...more] = signerChanges;
  if (first !== undefined) t.lead(first);
  for (const c of more) t.bullet(c);
  t.title(releaseTitle(r)).row('File', r.file).row('Tag', r.tag).row('Images', String(s.images));
  for (const [state, n] of Object.entries(s.counts)) t.row(verdictPhrase(state as Verdict['state']), String(n));
  if (s.loading) t.row('Loading', String(s.loading));
  if (s.failed) t.row('Could not be read', String(s.failed));
  if (s.unresolved) t.row('Unresolved references', String(s.unresolved));
  if (s.worst && !s.worst.verified) t.para('Verdicts marked "not verified" say what the registry holds; no signature has been checked.');
  return t.md;
}

export function imageTooltip(
  reference: string,
  graph: ImageGraph | undefined,
  verdict: Verdict | undefined,
  verification?: ImageVerification,
  ms?: number,
  failure?: LoadFailure,
): vscode.MarkdownString {
  const t = new Tooltip();
  const causes = verification ? causesOf(verification) : [];
  // The answer first: the verdict and why, in the engine's words; the other causes below it.
  if (failure) t.lead(withCause(`${verdict ? sentence(verdictText(verdict)) : 'Not verified'}: verification could not run (${failure.code})`, failure.message));
  else if (verdict) t.lead(causeLine(verdict.state, causes, verdict.viaIndex));
  for (const c of causes.slice(1, 4)) t.bullet(sentence(c.message));
  if (causes.length > 4) t.bullet(`and ${plural(causes.length - 4, 'more cause')}`);
  t.title(reference);
  if (graph) {
    t.row('Digest', graph.digest)
      .row('Type', graph.kind === 'index' ? `${graph.mediaType} (${plural(graph.platforms.length, 'platform')})` : graph.mediaType)
      .row('Artifacts', String(graph.artifacts.length))
      .row(
        'Referrers',
        graph.referrersApi === undefined ? undefined : graph.referrersApi ? 'OCI referrers API' : 'referrers tag schema (the registry has no referrers API)',
      );
    if (ms !== undefined) t.row('Inspected in', `${ms} ms`);
  }
  if (verification?.verdict.coverage) t.para(verification.verdict.coverage);
  if (graph?.problems.length)
    t.para(`${plural(graph.problems.length, 'part')} could not be read: the verdict cannot be "unsigned" for ${graph.problems.length === 1 ? 'it' : 'them'}.`);
  return t.md;
}

export function platformTooltip(graph: ImageGraph, p: PlatformEntry, verdict: Verdict, causes: readonly Cause[] = []): vscode.MarkdownString {
  const t = new Tooltip().lead(causeLine(verdict.state, causes, verdict.viaIndex));
  for (const c of causes.slice(1, 4)) t.bullet(sentence(c.message));
  return t
    .title(p.platform)
    .row('Manifest digest', p.digest)
    .row('Media type', p.mediaType)
    .row('OS version', p.osVersion)
    .row('Image size (config + layers)', p.imageSize === undefined ? undefined : decimalSize(p.imageSize))
    .row('BuildKit attestation manifest', p.attestationManifest)
    .row('Image', `${graph.reference} (${graph.digest})`).md;
}

export function artifactTooltip(graph: ImageGraph, e: ArtifactEntry, verdict: ArtifactVerification | undefined, cause?: Cause): vscode.MarkdownString {
  const a = e.artifact;
  const t = new Tooltip();
  if (verdict) {
    // Why it failed first: the engine's cause for it, else its first failing (or warning) check.
    const check = verdict.checks.find((x) => x.status === 'fail') ?? verdict.checks.find((x) => x.status === 'warn');
    const why = cause?.message ?? (verdict.state === 'verified' || verdict.state === 'unsigned' ? undefined : check?.message);
    t.lead(withCause(sentence(VERDICTS[verdict.state].long), why));
  }
  const covers =
    a.coversDigest === graph.digest
      ? `the ${graph.kind === 'index' ? 'index' : 'image'} ${a.coversDigest}`
      : `${graph.platforms.find((p) => p.digest === a.coversDigest)?.platform ?? 'artifact'} ${a.coversDigest}`;
  t.title(artifactTitle(a))
    .row('Covers', covers)
    .row('Found as', artifactPlace(a))
    .row('Predicate type', a.predicateType)
    .row('Artifact type', a.artifactType)
    .row('Media type', a.mediaType)
    .row('Digest', a.digest)
    .row('Manifest', a.manifestDigest)
    .row('Tag', a.tag)
    .row('Size', decimalSize(a.size));
  if (verdict && (verdict.identity || verdict.keyFingerprint)) {
    // "Verified" only when it was: a signer the policy refused is who signed, not a verified identity.
    const verified = verdict.state === 'verified';
    t.row(verified ? 'Verified identity' : 'Signed by (certificate identity)', verdict.identity)
      .row(verified ? 'Verified issuer' : 'Issuer', verdict.issuer)
      .row('Key', verdict.keyFingerprint);
  } else if (e.signedBy.kind === 'certificate') t.row('Identity (certificate SAN)', e.signedBy.identity).row('Issuer', e.signedBy.issuer);
  else t.row('Signed', signedByText(e.signedBy));
  if (e.signedBy.kind === 'unsigned' && e.signedBy.why === 'buildkit')
    t.para('BuildKit stores its attestations inside the image index, unsigned: they say what the builder recorded, nobody vouches for them.');
  if (verdict) {
    for (const c of verdict.checks.filter((x) => x.status === 'fail' || x.status === 'warn').slice(0, 4))
      t.row(`${c.status === 'fail' ? 'Failed' : 'Warning'} ${c.code}`, c.message);
  } else t.para('Not verified: shown as found in the registry.');
  if (predicateName(a.predicateType) && a.kind === 'attestation') t.para('Use "Show provenance" to read it.');
  return t.md;
}

/** An image that could not be read: what happened first, then the facts. */
export function failureTooltip(f: LoadFailure, reference?: string): vscode.MarkdownString {
  const t = new Tooltip().lead(`${failureTitle(f)} (${f.code})`).para(f.message);
  if (reference !== undefined) t.row('Image', reference);
  return t.row('Registry', f.registry).row('Retry at', f.retryAt).md;
}
