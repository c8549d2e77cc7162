// The delivery worker, one per server instance, all sharing one queue: the WebhookDelivery
// rows. A worker claims the oldest pending delivery of each endpoint whose earlier ones are all
// settled (delivered or given up), with `FOR UPDATE SKIP LOCKED` and a lease: another instance
// skips what is being claimed, then sees the lease, so each delivery is attempted by one worker
// at a time and an endpoint's deliveries go out one after the other, in the order of their
// changes. A failed attempt is retried with exponential backoff and jitter for retryForMs; an
// endpoint that fails every attempt for disableAfterMs is disabled, with a notice.
import { randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { WebhookSettings } from '../../config.ts';
import type { PrismaClient } from '../../db/client.ts';
import { committedWrites } from '../../db/history.ts';
import type { LiveUpdates } from '../../live/live-updates.ts';
import type { ViewerKind } from '../../live/visibility-memo.ts';
import type { Logger } from '../../logger.ts';
import { postOnce } from './webhook.outbound.ts';
import { audienceViewer } from './webhook.outbox.ts';
import { renderDelivery } from './webhook.render.ts';
import { SIGNATURE_HEADER, signatureHeader } from './webhook.signing.ts';

/** Endpoints served per claim (one delivery each). */
const BATCH = 16;

interface Claimed {
  id: bigint;
  endpointId: number;
  leaseId: string;
}

/** The delay before retry number `attempts` (1 = the first retry): doubling, half jittered. */
export function retryDelay(attempts: number, settings: WebhookSettings, random = Math.random) {
  const full = Math.min(
    settings.retryMaxMs,
    settings.retryBaseMs * 2 ** Math.min(attempts - 1, 30),
  );
  return Math.round(full / 2 + random() * (full / 2));
}

export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Attempts made by this worker (tests and the bench). */
  attempts = 0;

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      schema: GraphQLSchema;
      live: LiveUpdates;
      settings: WebhookSettings;
      log?: Logger;
    },
  ) {}

  start(): void {
    committedWrites.on('committed', this.onCommit);
    this.timer = setInterval(() => void this.wake(), this.deps.settings.pollMs);
    this.timer.unref();
    void this.wake();
  }

  async close(): Promise<void> {
    this.stopped = true;
    committedWrites.off('committed', this.onCommit);
    clearInterval(this.timer);
    await this.running;
  }

  private readonly onCommit = () => void this.wake();

  /** Delivers what is due; a wake-up while running makes it look once more afterwards. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        while (!this.stopped && (await this.round()) > 0) {}
      } while (this.again && !this.stopped);
    })()
      .catch((error) => this.deps.log?.warn({ err: error }, 'webhook worker round failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Claims and attempts one delivery per ready endpoint; returns how many. */
  private async round(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    const leaseId = randomUUID();
    // Long enough for rendering and one attempt; a crashed worker's claim expires after it.
    const leaseMs = 2 * this.deps.settings.timeoutMs + 30_000;
    const rows = await this.deps.prisma.$queryRaw<{ id: bigint; endpointId: number }[]>`
      WITH due AS (
        SELECT d.id FROM "WebhookDelivery" d
        JOIN "WebhookEndpoint" e ON e.id = d."endpointId"
        WHERE d.state = 'PENDING' AND e.state = 'ACTIVE'
          AND d."nextAttemptAt" <= now()
          AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
          AND NOT EXISTS (
            SELECT 1 FROM "WebhookDelivery" p
            WHERE p."endpointId" = d."endpointId" AND p.state = 'PENDING' AND p.id < d.id
          )
        ORDER BY d.id
        LIMIT ${BATCH}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE "WebhookDelivery" w
      SET "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond', "leaseId" = ${leaseId}
      FROM due WHERE w.id = due.id
      RETURNING w.id, w."endpointId"`;
    return rows.map((row) => ({ ...row, leaseId }));
  }

  private async attempt(claimed: Claimed): Promise<void> {
    const { prisma, settings } = this.deps;
    const delivery = await prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: claimed.id },
      include: { endpoint: true },
    });
    const { endpoint } = delivery;
    const ours = { id: claimed.id, leaseId: claimed.leaseId };
    let body = delivery.body;
    let outcome: { status?: number; latencyMs?: number; error?: string };
    try {
      if (body === null) {
        const token =
          endpoint.audience === 'TOKEN'
            ? await prisma.apiToken.findUnique({ where: { id: endpoint.ownerTokenId } })
            : null;
        const viewer = audienceViewer(endpoint, token);
        if (!viewer) {
          await prisma.webhookDelivery.updateMany({
            where: ours,
            data: {
              state: 'FAILED',
              error: "the endpoint's token may no longer be used",
              leaseUntil: null,
            },
          });
          return;
        }
        const record = await prisma.changeRecord.findUniqueOrThrow({
          where: { id: delivery.changeId },
        });
        body = await renderDelivery(this.deps, record, delivery.kind as ViewerKind, viewer);
        await prisma.webhookDelivery.updateMany({ where: ours, data: { body } });
      }
      const now = new Date();
      const timestamp = Math.floor(now.getTime() / 1000);
      const secrets = [
        endpoint.secret,
        ...(endpoint.previousSecret &&
        endpoint.previousSecretUntil &&
        endpoint.previousSecretUntil > now
          ? [endpoint.previousSecret]
          : []),
      ];
      this.attempts += 1;
      const answer = await postOnce(
        endpoint.url,
        {
          'content-type': 'application/json',
          'user-agent': 'hoshin-webhooks/1',
          'hoshin-delivery': delivery.id.toString(),
          'hoshin-event': JSON.parse(body).type,
          [SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, body),
        },
        body,
        { timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate },
      );
      outcome =
        answer.status >= 200 && answer.status < 300
          ? answer
          : { ...answer, error: `answered ${answer.status}` };
    } catch (error) {
      outcome = { error: (error as Error).message.slice(0, 500) };
    }
    await this.settle(delivery, claimed, outcome);
  }

  private async settle(
    delivery: { id: bigint; attempts: number; createdAt: Date; endpointId: number },
    claimed: Claimed,
    outcome: { status?: number; latencyMs?: number; error?: string },
  ): Promise<void> {
    const { prisma, settings, log } = this.deps;
    const now = new Date();
    const attempts = delivery.attempts + 1;
    const ours = { id: claimed.id, leaseId: claimed.leaseId };
    const logged = {
      attempts,
      lastAttemptAt: now,
      responseStatus: outcome.status ?? null,
      latencyMs: outcome.latencyMs ?? null,
      error: outcome.error ?? null,
      leaseUntil: null,
    };
    if (!outcome.error) {
      await prisma.$transaction([
        prisma.webhookDelivery.updateMany({
          where: ours,
          data: { ...logged, state: 'DELIVERED', deliveredAt: now },
        }),
        prisma.webhookEndpoint.update({
          where: { id: delivery.endpointId },
          data: { failingSince: null },
        }),
      ]);
      return;
    }
    const givenUp = now.getTime() - delivery.createdAt.getTime() >= settings.retryForMs;
    await prisma.webhookDelivery.updateMany({
      where: ours,
      data: givenUp
        ? { ...logged, state: 'FAILED' }
        : { ...logged, nextAttemptAt: new Date(now.getTime() + retryDelay(attempts, settings)) },
    });
    // The endpoint's failure streak; long enough, and it is disabled (the notice: its state,
    // disabledAt and disabledReason, readable through the API).
    const endpoint = await prisma.webhookEndpoint.findUniqueOrThrow({
      where: { id: delivery.endpointId },
    });
    const since = endpoint.failingSince ?? now;
    if (!endpoint.failingSince) {
      await prisma.webhookEndpoint.updateMany({
        where: { id: endpoint.id, failingSince: null },
        data: { failingSince: now },
      });
    } else if (
      now.getTime() - since.getTime() >= settings.disableAfterMs &&
      endpoint.state === 'ACTIVE'
    ) {
      await prisma.webhookEndpoint.updateMany({
        where: { id: endpoint.id, state: 'ACTIVE' },
        data: {
          state: 'DISABLED',
          disabledAt: now,
          disabledReason: `every delivery attempt failed since ${since.toISOString()} (last: ${outcome.error})`,
        },
      });
      log?.warn({ endpoint: endpoint.id }, 'webhook endpoint disabled after failing too long');
    }
  }
}
