// Signatures of webhook deliveries, as Stripe and GitHub make them: the header carries the
// time of signing and an HMAC-SHA256 over `${timestamp}.${body}` keyed with the endpoint's
// secret, so a receiver can check both who sent the body and that it is recent (a replayed
// delivery carries an old timestamp). The SDK's verifyWebhookSignature checks this format.
import { createHmac, randomBytes } from 'node:crypto';

/** `t=<unix seconds>,v1=<hex HMAC>[,v1=<hex HMAC of the previous secret>]` */
export const SIGNATURE_HEADER = 'hoshin-signature';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value: one v1 signature per secret in use (two during a rotation's overlap). */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [
    `t=${timestamp}`,
    ...secrets.map((secret) => `v1=${signature(secret, timestamp, body)}`),
  ].join(',');
}
