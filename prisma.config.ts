// Prisma CLI configuration (Prisma 7 keeps the connection URL here, not in schema.prisma).
// `prisma migrate deploy` reads DATABASE_URL; the server applies the same migrations itself.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
