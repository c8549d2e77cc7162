// One outbound POST to a receiver, held to the limits every delivery has: the host's every
// address must be public unicast (not private, loopback, link-local...: SSRF) unless the
// deployment allows the range (HOSHIN_WEBHOOK_ALLOW_PRIVATE); the address checked is the one
// connected to (the check runs in the socket's own lookup, so DNS cannot answer differently
// in between); one time limit for the whole exchange; redirects are never followed (a 3xx is
// a failed attempt).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class RefusedAddressError extends Error {}

/** Is this address one a receiver may have: public unicast, or in an allowed range? */
export function addressAllowed(address: string, allowPrivate: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
  const parsed = ipaddr.process(address);
  if (parsed.range() === 'unicast') return true;
  return allowPrivate.some((cidr) => {
    const [range, bits] = ipaddr.parseCIDR(cidr);
    return range.kind() === parsed.kind() && parsed.match(range, bits);
  });
}

/** The host's addresses, or RefusedAddressError naming the first one not allowed. */
export async function resolveAllowed(
  hostname: string,
  allowPrivate: readonly string[],
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses: LookupAddress[] = ipaddr.isValid(host)
    ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }]
    : await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true, verbatim: true }, (error, found) =>
          error ? reject(error) : resolve(found),
        ),
      );
  if (addresses.length === 0) throw new RefusedAddressError(`${host} has no address`);
  for (const { address } of addresses) {
    if (!addressAllowed(address, allowPrivate)) {
      throw new RefusedAddressError(
        `${host} resolves to ${address}, a private, loopback or reserved address`,
      );
    }
  }
  return addresses;
}

/** A socket lookup that connects only to checked addresses. */
function guardedLookup(allowPrivate: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, allowPrivate).then(
      (addresses) => {
        const family =
          options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          callback(new RefusedAddressError(`${hostname} has no IPv${family} address`), '', 4);
        } else if (options.all) {
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        } else {
          const [first] = usable as [LookupAddress];
          callback(null, first.address, first.family);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
}

export interface PostResult {
  status: number;
  latencyMs: number;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: readonly string[];
}

/** POSTs `body`; resolves with the status once the answer has ended, rejects on any failure. */
export async function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<PostResult> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // A literal address never reaches the lookup: check it here.
  if (ipaddr.isValid(host)) await resolveAllowed(host, options.allowPrivate);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise<PostResult>((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(options.allowPrivate),
      // No connection reuse: each delivery's address is checked as it connects.
      agent: false,
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('response', (res) => {
      // The answer's body is read (and dropped) so the exchange ends; at most 64 KiB of it.
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 65_536) res.destroy();
      });
      res.on('close', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          latencyMs: Math.round(performance.now() - started),
        });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
