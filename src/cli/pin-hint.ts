import type { Cause } from '../model/cause';
import { terminalText } from './format';

/** The signers UNPINNED causes saw (certificate identity and issuer), each once, in the order met. */
export function unpinnedSeen(causes: readonly Cause[]): Array<{ identity: string; issuer?: string }> {
  const seen = new Map<string, { identity: string; issuer?: string }>();
  for (const c of causes) {
    if (c.code !== 'UNPINNED') continue;
    for (const s of c.seen ?? []) if ('identity' in s) seen.set(`${s.identity}\0${s.issuer ?? ''}`, s);
  }
  return [...seen.values()];
}

/**
 * The flags that would pin the signers seen on valid but unpinned signatures, printed whenever one
 * was seen, whatever else is wrong with the image. Only a suggestion: who signed is what the user
 * must decide to trust, never inferred for them.
 */
export function pinHint(signers: ReadonlyArray<{ identity: string; issuer?: string }>): string[] {
  // One flag a line (a shell continuation between them), so each fits a terminal.
  const flags = signers
    .slice(0, 3)
    .map((s) =>
      [
        `  --certificate-identity ${terminalText(shellQuote(s.identity))}`,
        ...(s.issuer !== undefined ? [`    --certificate-oidc-issuer ${terminalText(shellQuote(s.issuer))}`] : []),
      ].join(' \\\n'),
    );
  if (flags.length === 0) return [];
  return ['', 'To pin a signer seen here, add its flags (only for one you recognise as your release workflow):', ...flags];
}

/** POSIX single quotes, so a copied suggestion runs as shown whatever the certificate says. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
