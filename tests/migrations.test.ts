import { diffMigrationsToSchema } from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

describe('prisma/migrations', () => {
  // Replays every migration in a scratch PGlite and diffs it with schema.prisma: slow (the
  // schema engine starts a shadow database), and independent of the test database.
  it('agree with schema.prisma (a change to one without the other fails here)', {
    timeout: 180_000,
  }, async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });
});
