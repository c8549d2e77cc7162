// What every resolver receives. Built per request by yoga.ts.
import type { Viewer } from '../auth/viewer.ts';
import type { PrismaClient } from '../db/client.ts';

export interface Context {
  prisma: PrismaClient;
  viewer: Viewer;
  /** The client's address, for rate limits (never logged with request content). */
  clientAddress: string;
}
