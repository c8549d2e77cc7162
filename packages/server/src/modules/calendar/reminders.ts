// Reminder events: when a deadline of the reporting calendar approaches (from remindDaysBefore
// days ahead) or passes, every department with items still pending gets one reminder per
// phase. A reminder is claimed by inserting its ReportingReminder row (unique per deadline,
// department, phase and due day): of several instances sweeping at once, only the one whose
// insert wins sends it. The claim is a write like any other: its change record (staff
// audience) carries the reminder to the live feed (reminderChanged) and to webhooks (event
// type REMINDER) in the same transaction, so a claimed reminder cannot be lost.
// `Reminders.subscribe(listener)` also hears each one this process sends (mail, logs).
import { actorOf, type Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import { fieldChanges, writeWithHistory } from '../../db/history.ts';
import type { Logger } from '../../logger.ts';
import { daysBetween, pendingItems, todayInJapan } from './calendar.service.ts';

export interface ReminderEvent {
  /** APPROACHING: due within remindDaysBefore days; PASSED: overdue. */
  phase: 'APPROACHING' | 'PASSED';
  municipality: { id: number; code: string; name: string };
  department: { id: number; code: string; name: string };
  fiscalYear: number;
  kind: string;
  /** 自己評価, 一次評価, ..., 実績 */
  name: string;
  dueOn: string;
  daysLeft: number;
  /** How many items of that kind the department still has pending. */
  pendingCount: number;
  sentAt: Date;
}

export type ReminderListener = (event: ReminderEvent) => void | Promise<void>;

/** The planning office of a municipality, as the sweep reads pending lists with its eyes. */
const systemPlanning = (municipalityId: number): Viewer => ({
  kind: 'token',
  tokenId: 0,
  actor: 'system',
  office: 'reminders',
  role: 'PLANNING',
  municipalityId,
  departmentId: null,
});

export class Reminders {
  private readonly listeners = new Set<ReminderListener>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReminderEvent[]> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log?: Logger,
  ) {}

  /** Calls `listener` with each reminder this process sends; returns the unsubscribe. */
  subscribe(listener: ReminderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sweeps every `everyMs` (the first after `everyMs`) until stop(). */
  start(everyMs: number) {
    this.stop();
    const tick = () =>
      void this.sweep().catch((error) => this.log?.warn({ err: error }, 'reminder sweep failed'));
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Sends the reminders due at `now` that no instance has sent yet; returns them. Sweeps do not
   * overlap within a process (a call during one waits for it).
   */
  async sweep(now: Date = new Date()): Promise<ReminderEvent[]> {
    while (this.running) await this.running.catch(() => {});
    this.running = this.sweepOnce(now);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async sweepOnce(now: Date): Promise<ReminderEvent[]> {
    const today = todayInJapan(now);
    const deadlines = await this.prisma.reportingDeadline.findMany({
      include: { municipality: true },
      orderBy: { id: 'asc' },
    });
    const sent: ReminderEvent[] = [];
    for (const deadline of deadlines) {
      const daysLeft = daysBetween(today, deadline.dueOn);
      if (daysLeft > deadline.remindDaysBefore) continue;
      const phase = daysLeft < 0 ? 'PASSED' : 'APPROACHING';
      const items = await pendingItems(
        { prisma: this.prisma, viewer: systemPlanning(deadline.municipalityId) },
        { municipality: deadline.municipality.code, fiscalYear: deadline.fiscalYear, today },
      );
      const counts = new Map<number, number>();
      for (const item of items) {
        // Returned items are pending against the same deadline: they count too.
        if (item.kind !== deadline.kind) continue;
        counts.set(item.department.id, (counts.get(item.department.id) ?? 0) + 1);
      }
      for (const [departmentId, pendingCount] of counts) {
        const viewer = systemPlanning(deadline.municipalityId);
        const claimed = await writeWithHistory(this.prisma, actorOf(viewer), async (tx, record) => {
          const [row] = await tx.reportingReminder.createManyAndReturn({
            data: [
              { deadlineId: deadline.id, departmentId, phase, dueOn: deadline.dueOn, pendingCount },
            ],
            skipDuplicates: true,
          });
          if (!row) return undefined;
          const { id, ...columns } = row;
          record({
            municipalityId: deadline.municipalityId,
            entityType: 'ReportingReminder',
            entityId: id,
            action: 'CREATE',
            changes: fieldChanges(null, columns),
            departmentId,
            fiscalYear: deadline.fiscalYear,
          });
          return row;
        });
        if (!claimed) continue;
        const department = await this.prisma.department.findUniqueOrThrow({
          where: { id: departmentId },
        });
        const first = items.find((i) => i.kind === deadline.kind);
        const { id, code, name } = deadline.municipality;
        sent.push({
          phase,
          municipality: { id, code, name },
          department: { id: department.id, code: department.code, name: department.name },
          fiscalYear: deadline.fiscalYear,
          kind: deadline.kind,
          name: first?.name ?? deadline.kind,
          dueOn: deadline.dueOn,
          daysLeft,
          pendingCount,
          sentAt: now,
        });
      }
    }
    for (const event of sent) {
      for (const listener of this.listeners) {
        try {
          await listener(event);
        } catch (error) {
          this.log?.warn({ err: error }, 'a reminder listener failed');
        }
      }
    }
    return sent;
  }
}
