// Bearer API tokens: `hsn_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of the
// whole token is stored, so a leaked database does not leak usable tokens.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../db/client.ts';
import { anonymous, type Viewer } from './viewer.ts';

const TOKEN_PATTERN = /^hsn_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): { token: string; prefix: string; secretHash: string } {
  // 12 alphanumeric characters of prefix, 32 random bytes of secret.
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, '0').slice(0, 12);
  const token = `hsn_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, secretHash: hashToken(token) };
}

export class AuthenticationError extends Error {}

/**
 * Why a token may not be used now (its row, found by prefix and matching its secret; null when
 * there is none), or undefined when it may. Checked at every request and, for the streams a
 * token holds open, again until they end (token-watch.ts).
 */
export function tokenRefusal(
  row: { revokedAt: Date | null; expiresAt: Date | null } | null,
  now: Date,
): string | undefined {
  if (!row) return 'The API token is not valid';
  if (row.revokedAt) return 'The API token has been revoked';
  if (row.expiresAt && row.expiresAt <= now) return 'The API token has expired';
  return undefined;
}

/**
 * The viewer for an Authorization header. No header: anonymous. A header that is not a
 * valid, unexpired, unrevoked token: AuthenticationError (never silently anonymous).
 */
/** Whether a request's Authorization header asks for a token at all (without one: anonymous). */
export function presentsToken(authorization: string | null): authorization is string {
  return Boolean(authorization);
}

export async function authenticate(
  prisma: PrismaClient,
  authorization: string | null,
  now = new Date(),
): Promise<Viewer> {
  if (!presentsToken(authorization)) return anonymous;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const parts = match?.[1] ? TOKEN_PATTERN.exec(match[1]) : null;
  if (!match?.[1] || !parts?.[1]) {
    throw new AuthenticationError('The Authorization header must be "Bearer <hoshin API token>"');
  }
  const token = match[1];
  const row = await prisma.apiToken.findUnique({
    where: { prefix: parts[1] },
    include: {
      municipality: { select: { name: true, contactSection: true } },
      department: { select: { name: true } },
    },
  });
  const valid =
    row !== null &&
    timingSafeEqual(Buffer.from(row.secretHash, 'hex'), Buffer.from(hashToken(token), 'hex'));
  const refused = tokenRefusal(valid ? row : null, now);
  if (refused || !row) throw new AuthenticationError(refused);
  return {
    kind: 'token',
    tokenId: row.id,
    actor: `token:${row.prefix} (${row.name})`,
    office: officeOf(row),
    role: row.role,
    municipalityId: row.municipalityId,
    departmentId: row.departmentId,
  };
}

/**
 * The office a token acts for, as the public may see it: never the token itself (its name is
 * free text and may name a person). An editor's department, the planning section, or the
 * municipality.
 */
function officeOf(row: {
  role: string;
  municipality: { name: string; contactSection: string | null } | null;
  department: { name: string } | null;
}): string {
  const city = row.municipality?.name;
  if (!city) return 'hoshin administration';
  if (row.department) return `${city} ${row.department.name}`;
  // The public should see that the committee, not the city, wrote an external evaluation.
  if (row.role === 'REVIEWER') return `${city} 外部評価委員会`;
  if (row.role === 'PLANNING' && row.municipality?.contactSection) {
    return `${city} ${row.municipality.contactSection}`;
  }
  return city;
}
