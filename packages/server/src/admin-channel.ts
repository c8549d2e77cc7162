// Token administration while the embedded server runs. PGlite allows one process per data
// folder, so the CLI cannot open the folder the server holds: the server listens on a Unix
// socket inside a 0700 folder beside its data (only the same OS user can connect), and the CLI
// hands it the command. One JSON line each way. The token logic itself is token.service's.

import { createHash } from 'node:crypto';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrismaClient } from './db/client.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { issueToken, listTokens, revokeToken } from './modules/token/token.service.ts';

export type AdminCommand =
  | {
      command: 'issue';
      role: string;
      name: string;
      municipality?: string;
      department?: string;
      /** ISO 8601. */
      expiresAt?: string;
    }
  | { command: 'list' }
  | { command: 'revoke'; prefix: string };

export interface IssuedToken {
  token: string;
  prefix: string;
  role: string;
  name: string;
  expiresAt: string | null;
}
export interface ListedToken {
  prefix: string;
  name: string;
  role: string;
  municipality: string;
  department: string;
  expires: string;
  state: 'active' | 'expired' | 'revoked';
}
export type AdminResult =
  | { ok: true; issued: IssuedToken }
  | { ok: true; tokens: ListedToken[] }
  | { ok: true; revoked: string }
  /** A refusal the operator can act on (exit 2), or an internal failure (exit 1). */
  | { ok: false; refused: boolean; message: string };

/** Runs one command against the database; every expected refusal becomes a message. */
export async function runAdminCommand(
  prisma: PrismaClient,
  command: AdminCommand,
): Promise<AdminResult> {
  try {
    if (command.command === 'issue') {
      const { token, row } = await issueToken(prisma, {
        name: command.name,
        role: command.role as 'ADMIN',
        municipality: command.municipality,
        department: command.department,
        expiresAt: command.expiresAt ? new Date(command.expiresAt) : undefined,
      });
      return {
        ok: true,
        issued: {
          token,
          prefix: row.prefix,
          role: row.role,
          name: row.name,
          expiresAt: row.expiresAt?.toISOString() ?? null,
        },
      };
    }
    if (command.command === 'list') {
      const now = new Date();
      return {
        ok: true,
        tokens: (await listTokens(prisma)).map((t) => ({
          prefix: t.prefix,
          name: t.name,
          role: t.role,
          municipality: t.municipality?.code ?? '*',
          department: t.department?.code ?? '',
          expires: t.expiresAt?.toISOString() ?? 'never',
          state: t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= now ? 'expired' : 'active',
        })),
      };
    }
    if (command.command === 'revoke') {
      await revokeToken(prisma, command.prefix);
      return { ok: true, revoked: command.prefix };
    }
    return { ok: false, refused: true, message: 'unknown command' };
  } catch (error) {
    if (error instanceof ValidationError) {
      const message = error.issues
        .map((i) => `${i.path.slice(1).join('.')}: ${i.message}`)
        .join('\n');
      return { ok: false, refused: true, message };
    }
    if (error instanceof NotFoundError)
      return { ok: false, refused: true, message: error.message.replace(' that you may see', '') };
    throw error;
  }
}

// Unix socket paths are limited to about 107 bytes: a deep data folder gets its socket in a
// private folder under the temporary directory, named after the data folder.
const maxSocketPath = 100;

export function adminSocketPath(dataDir: string): string {
  const beside = join(dataDir, '.hoshin-admin', 'admin.sock');
  if (Buffer.byteLength(beside) <= maxSocketPath) return beside;
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `hoshin-admin-${id}`, 'admin.sock');
}

async function privateFolder(path: string) {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const info = await stat(path);
  // A folder someone else made (in a shared /tmp) must not be trusted with the socket.
  if (typeof process.getuid === 'function' && info.uid !== process.getuid())
    throw new Error(`${path} belongs to another user`);
  await chmod(path, 0o700);
}

export interface AdminChannel {
  readonly path: string;
  close(): Promise<void>;
}

interface ChannelLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Serves runAdminCommand on the data folder's socket. Call only while holding the folder's lock:
 * any socket file already there is a dead server's and is replaced.
 */
export async function serveAdminChannel(
  dataDir: string,
  prisma: PrismaClient,
  log: ChannelLog,
): Promise<AdminChannel> {
  const path = adminSocketPath(dataDir);
  await privateFolder(join(path, '..'));
  await rm(path, { force: true });
  const server: Server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.length > 65_536) return socket.destroy();
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      socket.pause();
      let command: AdminCommand;
      try {
        command = JSON.parse(buffer.slice(0, end)) as AdminCommand;
      } catch {
        socket.end(`${JSON.stringify({ ok: false, refused: true, message: 'not JSON' })}\n`);
        return;
      }
      runAdminCommand(prisma, command).then(
        (result) => {
          log.info({ command: command.command }, 'admin command');
          socket.end(`${JSON.stringify(result)}\n`);
        },
        (error: unknown) => {
          log.error({ err: error, command: command.command }, 'admin command failed');
          socket.end(
            `${JSON.stringify({ ok: false, refused: false, message: 'the server could not run the command: see its log' })}\n`,
          );
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        void rm(path, { force: true });
      }),
  };
}

/** Sends one command to the server holding `dataDir`; rejects with the connection error. */
export function sendAdminCommand(dataDir: string, command: AdminCommand): Promise<AdminResult> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(adminSocketPath(dataDir));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(command)}\n`));
    socket.on('data', (chunk) => {
      reply += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(JSON.parse(reply) as AdminResult);
      } catch {
        reject(new Error('the server closed the admin channel without an answer'));
      }
    });
  });
}
