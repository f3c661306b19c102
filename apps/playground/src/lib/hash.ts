// The spec lives in the URL hash (`#spec=<base64url of the JSON>`), so a link reproduces the page.

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

export function encodeHash(specText: string, backend?: string): string {
  const params = new URLSearchParams();
  params.set('spec', toBase64Url(new TextEncoder().encode(specText)));
  if (backend !== undefined) params.set('backend', backend);
  return `#${params.toString()}`;
}

export function decodeHash(hash: string): { specText?: string; backend?: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: { specText?: string; backend?: string } = {};
  const spec = params.get('spec');
  if (spec !== null) {
    try {
      out.specText = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(spec));
    } catch {
      // A damaged link falls back to the default spec.
    }
  }
  const backend = params.get('backend');
  if (backend !== null) out.backend = backend;
  return out;
}
