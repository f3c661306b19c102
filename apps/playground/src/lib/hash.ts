// The page's state that a link carries, in the URL hash: the spec (`spec=<base64url of the JSON>`),
// the preset it started from with its fields as typed (`preset`, `params` as JSON), and the
// backend variant (`backend`), so that a shared link reproduces the page.

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

export interface Shared {
  specText?: string;
  backend?: string;
  preset?: string;
  /** The preset's fields as typed. */
  params?: Record<string, string>;
}

export function encodeHash(specText: string, backend?: string, preset?: Shared): string {
  const params = new URLSearchParams();
  params.set('spec', toBase64Url(new TextEncoder().encode(specText)));
  if (backend !== undefined) params.set('backend', backend);
  if (preset?.preset !== undefined) params.set('preset', preset.preset);
  if (preset?.params !== undefined) params.set('params', JSON.stringify(preset.params));
  return `#${params.toString()}`;
}

export function decodeHash(hash: string): Shared {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Shared = {};
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
  const preset = params.get('preset');
  if (preset !== null) out.preset = preset;
  const fields = params.get('params');
  if (fields !== null) {
    try {
      const parsed: unknown = JSON.parse(fields);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        out.params = Object.fromEntries(
          Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
    } catch {
      // Damaged fields: the preset's defaults.
    }
  }
  return out;
}
