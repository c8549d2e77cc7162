// Purging what caches hold of public answers when the public's data changes. PublicChanges
// follows the change feed: each record the public could see before or after it moves the public
// watermark (the ETags of http/public-cache.ts) and its surrogate keys go to every purge hook.
//
// The seam: a PurgeHook is anything with purge(keys). The default one (purgeUrlHook) sends the
// keys to a configured URL, as Varnish (deploy/varnish/hoshin.vcl: BAN by Surrogate-Key) and
// CDN purge APIs take them; another kind (a webhook to a CDN's purge API, say) is one more hook
// in App.purgeHooks.
import { EventEmitter } from 'node:events';
import type { ChangeRecord } from '../../generated/prisma/client.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { purgeKeysOf } from './public-cache.ts';

export interface PurgeHook {
  /** Forget every cached answer carrying any of these keys. */
  purge(keys: string[]): Promise<void>;
}

/**
 * Sends `METHOD url` with `Surrogate-Key: k1 k2 …` (Varnish BAN with the repository's VCL,
 * Fastly's key purge, a purge proxy of your own). Keys go in batches that keep the header short.
 */
export function purgeUrlHook(
  url: string,
  { method = 'BAN', timeoutMs = 5000 }: { method?: string; timeoutMs?: number } = {},
): PurgeHook {
  return {
    async purge(keys) {
      for (let i = 0; i < keys.length; i += 100) {
        const response = await fetch(url, {
          method,
          headers: { 'surrogate-key': keys.slice(i, i + 100).join(' ') },
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`purge answered ${response.status}`);
      }
    },
  };
}

interface ChangeSource {
  feed: { watch(listener: (records: ChangeRecord[]) => void): () => void };
  ready(): Promise<void>;
}

/** Is this record a change the public could see (before or after it)? */
const isPublic = (record: Pick<ChangeRecord, 'audienceBefore' | 'audienceAfter'>) =>
  record.audienceBefore === 'PUBLIC' || record.audienceAfter === 'PUBLIC';

/**
 * The public watermark and the purges. Emits 'purged' (keys) after every hook has been called
 * for a batch of records, 'error' never (failures are logged: the cache then keeps an answer
 * up to its s-maxage).
 */
export class PublicChanges extends EventEmitter<{ purged: [keys: string[]] }> {
  private value: bigint | undefined;
  private stop: (() => void) | undefined;
  private started: Promise<void> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly hooks: PurgeHook[],
    private readonly log?: Logger,
  ) {
    super();
  }

  /** The id of the newest public change record seen; undefined before start() ends. */
  get watermark(): bigint | undefined {
    return this.value;
  }

  /** Resolves once the watermark is known (start() ended). */
  get ready(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  start(live: ChangeSource): Promise<void> {
    this.started ??= this.begin(live);
    return this.started;
  }

  private async begin(live: ChangeSource): Promise<void> {
    let pending: ChangeRecord[] | undefined = [];
    this.stop = live.feed.watch((records) => {
      if (pending) pending.push(...records);
      else this.take(records);
    });
    await live.ready();
    const newest = await this.prisma.changeRecord.findFirst({
      where: { OR: [{ audienceBefore: 'PUBLIC' }, { audienceAfter: 'PUBLIC' }] },
      orderBy: { id: 'desc' },
      select: { id: true },
    });
    this.value = newest?.id ?? 0n;
    const early = pending;
    pending = undefined;
    this.take(early);
  }

  close(): void {
    this.stop?.();
  }

  /** Resolves once every purge begun so far has ended (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  private take(records: ChangeRecord[]): void {
    const visible = records.filter(isPublic);
    if (visible.length === 0) return;
    for (const record of visible) {
      if (this.value === undefined || record.id > this.value) this.value = record.id;
    }
    // In order, one batch at a time: a purge never overtakes an earlier one.
    this.queue = this.queue.then(() => this.purge(visible));
  }

  private async purge(records: ChangeRecord[]): Promise<void> {
    try {
      const [municipalities, departments] = await Promise.all([
        this.prisma.municipality.findMany({
          where: { id: { in: [...new Set(records.map((r) => r.municipalityId))] } },
          select: { id: true, code: true },
        }),
        this.prisma.department.findMany({
          where: {
            id: { in: [...new Set(records.flatMap((r) => r.departmentId ?? []))] },
          },
          select: { id: true, code: true },
        }),
      ]);
      const municipality = new Map(municipalities.map((m) => [m.id, m.code]));
      const department = new Map(departments.map((d) => [d.id, d.code]));
      const keys = new Set<string>();
      for (const record of records) {
        for (const key of purgeKeysOf({
          entityType: record.entityType,
          entityId: record.entityId,
          municipality: municipality.get(record.municipalityId) ?? String(record.municipalityId),
          department:
            record.departmentId === null ? null : (department.get(record.departmentId) ?? null),
          fiscalYear: record.fiscalYear,
        }))
          keys.add(key);
      }
      const list = [...keys];
      await Promise.all(
        this.hooks.map((hook) =>
          hook.purge(list).catch((error: unknown) => {
            this.log?.warn({ err: error, keys: list.length }, 'purge failed');
          }),
        ),
      );
      this.emit('purged', list);
    } catch (error) {
      this.log?.warn({ err: error }, 'could not work out the keys to purge');
    }
  }
}
