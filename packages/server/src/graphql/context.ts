// What every resolver receives. Built per request by yoga.ts.
import type { PrismaClient } from '../db/client.ts';

export interface Context {
  prisma: PrismaClient;
}
