// Checking a webhook delivery in the receiver: the `hoshin-signature` header is
// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (one v1 per secret in use during a
// rotation). WebCrypto only, so it runs in Node 20+, Deno, Bun, workers and browsers alike.

/** The header hoshin signs every delivery with. */
export const WEBHOOK_SIGNATURE_HEADER = 'hoshin-signature';

/** A delivery's body: the live event, as your endpoint's audience sees it. */
export interface WebhookEvent<Data = Record<string, unknown>> {
  /** `evt_<change cursor>`: the same for a redelivery; deduplicate on it. */
  id: string;
  /** e.g. `plan.entered`, `initiative.modified`, `evaluation.left`. */
  type: string;
  createdAt: string;
  /** The subscription event (planChanged ...): kind, cursor, id, change, and the state. */
  data: Data;
}

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

export interface VerifyWebhookOptions {
  /** The replay window: how old (or how far ahead) the timestamp may be. Default 300 s. */
  toleranceSeconds?: number;
  /** The current time in Unix seconds (tests). */
  now?: number;
}

type HeaderBag =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

function headerOf(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message as BufferSource));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compares in time independent of where the strings first differ. */
function equalHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Checks that `body` (the raw request body, exactly as received) was signed by hoshin with
 * `secret` within the replay window, and returns it parsed. Throws WebhookSignatureError
 * otherwise: answer such a request 400 and do not act on it.
 */
export async function verifyWebhookSignature<Data = Record<string, unknown>>(
  secret: string,
  request: { headers: HeaderBag; body: string | Uint8Array },
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent<Data>> {
  const header = headerOf(request.headers, WEBHOOK_SIGNATURE_HEADER);
  if (!header) throw new WebhookSignatureError(`no ${WEBHOOK_SIGNATURE_HEADER} header`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookSignatureError('the signature header has no timestamp or no v1 signature');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookSignatureError('the timestamp is outside the replay window');
  }
  const body = typeof request.body === 'string' ? encoder.encode(request.body) : request.body;
  const prefix = encoder.encode(`${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  const expected = await hmacHex(secret, signed);
  // Every signature is compared, so the time does not tell which one matched.
  let valid = false;
  for (const signature of signatures) valid = equalHex(signature, expected) || valid;
  if (!valid) throw new WebhookSignatureError('no signature matches the secret');
  return JSON.parse(new TextDecoder().decode(body)) as WebhookEvent<Data>;
}
