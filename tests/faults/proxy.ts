// A TCP proxy in front of PostgreSQL that a test can cut and restore: "down" resets every
// open connection and refuses new ones, as a stopped or unreachable database would, without
// touching the machine's PostgreSQL (other work shares it).

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  port: number;
  /** Resets open connections and refuses new ones until up(). */
  down(): void;
  /** Keeps every connection open but forwards nothing, either way, until up(): a stalled database. */
  stall(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let isDown = false;
  let stalled = false;
  const held = new Set<Socket>();
  const flushers = new Set<() => void>();
  const server: Server = createServer((client) => {
    if (isDown) {
      client.resetAndDestroy();
      return;
    }
    if (stalled) {
      // Accepted, never answered: what a hung database host looks like.
      held.add(client);
      client.on('error', () => {});
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    // While stalled, bytes wait here (as a hung network holds them) and flow again on up().
    const toUpstream: Buffer[] = [];
    const toClient: Buffer[] = [];
    flushers.add(() => {
      for (const chunk of toUpstream.splice(0)) upstream.write(chunk);
      for (const chunk of toClient.splice(0)) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (stalled) toUpstream.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) toClient.push(chunk);
      else client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    down() {
      isDown = true;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    stall() {
      stalled = true;
    },
    up() {
      isDown = false;
      stalled = false;
      // Connections opened during the stall never reached the database: drop them.
      for (const socket of held) socket.destroy();
      for (const flush of flushers) flush();
    },
    close() {
      for (const socket of [...sockets, ...held]) socket.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
