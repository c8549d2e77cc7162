// Display labels for every enum of the API, in Japanese and English, so clients show the same
// words as the city's documents without hard-coding them. One table; a test checks that it
// covers every value of every enum in the schema.
import { builder } from '../../graphql/builder.ts';
import { ENTITY_LABELS, ENTITY_NAMES } from '../open-data/columns.ts';
import { STATUS_LABELS, STATUSES } from '../target/status-rules.ts';

interface ValueLabel {
  value: string;
  label: string;
  labelEn: string;
}

export const LABELS: Record<string, Array<[value: string, label: string, labelEn: string]>> = {
  // Open-data files are named by their entities' own labels (open-data/columns.ts).
  OpenDataEntity: ENTITY_NAMES.map((name) => [
    name.toUpperCase().replace(/-/g, '_'),
    ENTITY_LABELS[name].ja,
    ENTITY_LABELS[name].en,
  ]),
  OpenDataFormat: [
    ['CSV', 'CSV', 'CSV'],
    ['XLSX', 'Excel (XLSX)', 'Excel (XLSX)'],
    ['JSON', 'JSON(配列)', 'JSON (an array)'],
    ['JSONL', 'JSON Lines(1行1件)', 'JSON Lines (one record a line)'],
  ],
  CsvEncoding: [
    ['UTF_8', 'UTF-8', 'UTF-8'],
    ['SHIFT_JIS', 'Shift_JIS(旧来の Excel 向け)', 'Shift_JIS (older Excel)'],
  ],
  ImportOutcome: [
    ['created', '追加', 'Created'],
    ['updated', '更新', 'Updated'],
    ['unchanged', '変更なし', 'Unchanged'],
    ['rejected', '受付不可', 'Rejected'],
  ],
  WebhookAudience: [
    ['PUBLIC', '公開情報', 'Public'],
    ['TOKEN', 'トークンの範囲', "The token's scope"],
  ],
  WebhookEndpointState: [
    ['ACTIVE', '有効', 'Active'],
    ['DISABLED', '停止中', 'Disabled'],
  ],
  WebhookDeliveryState: [
    ['PENDING', '配信待ち', 'Pending'],
    ['DELIVERED', '配信済み', 'Delivered'],
    ['FAILED', '配信失敗', 'Failed'],
  ],
  WebhookEventType: [
    ['PLAN', '各部の運営方針と目標', 'Plan'],
    ['INITIATIVE', '個別事業', 'Initiative'],
    ['EVALUATION', '達成状況', 'Evaluation'],
    ['TARGET', '指標と目標値', 'Target'],
    ['TARGET_ACTUAL', '実績', 'Actual'],
    ['REMINDER', '提出期限のお知らせ', 'Deadline reminder'],
  ],
  ReminderPhase: [
    ['APPROACHING', '期限間近', 'Deadline approaching'],
    ['PASSED', '期限超過', 'Deadline passed'],
  ],
  PublicationStatus: [
    ['DRAFT', '作成中', 'Draft'],
    ['PUBLISHED', '公表', 'Published'],
  ],
  AchievementRating: [
    ['ACHIEVED', '達成', 'Achieved'],
    ['MOSTLY_ACHIEVED', 'おおむね達成', 'Mostly achieved'],
    ['PARTIALLY_ACHIEVED', '一部達成', 'Partly achieved'],
    ['NOT_ACHIEVED', '未達成', 'Not achieved'],
  ],
  NextYearDecision: [
    ['CONTINUE', '継続', 'Continue'],
    ['EXPAND', '拡充', 'Expand'],
    ['REDUCE', '縮小', 'Reduce'],
    ['ABOLISH', '廃止', 'Abolish'],
    ['COMPLETE', '完了', 'Completed'],
  ],
  EvaluationStageKind: [
    ['SELF', '自己評価', 'Self-evaluation'],
    ['FIRST', '一次評価', 'First review'],
    ['SECOND', '二次評価', 'Second review'],
    ['EXTERNAL', '外部評価', 'External evaluation'],
  ],
  ReportingKind: [
    ['SELF', '自己評価', 'Self-evaluation'],
    ['FIRST', '一次評価', 'First review'],
    ['SECOND', '二次評価', 'Second review'],
    ['EXTERNAL', '外部評価', 'External evaluation'],
    ['ACTUALS', '実績', 'Actuals'],
  ],
  PendingState: [
    ['DUE', '提出期限前', 'Due'],
    ['OVERDUE', '期限超過', 'Overdue'],
    ['RETURNED', '差し戻し', 'Returned'],
  ],
  EvaluationStageRole: [
    ['EDITOR', '部', 'Department'],
    ['PLANNING', '企画担当', 'Planning section'],
    ['REVIEWER', '外部評価委員会', 'External committee'],
  ],
  EvaluationStageState: [
    ['OPEN', '評価中', 'Open'],
    ['COMPLETED', '完了', 'Completed'],
  ],
  TargetDirection: [
    ['AT_LEAST', '以上', 'At least'],
    ['AT_MOST', '以下', 'At most'],
    ['WITHIN_RANGE', '範囲内', 'Within a range'],
    ['MILESTONE', '期日までに達成', 'Milestone by a date'],
  ],
  // The words the status reasons use (target/status-rules.ts).
  TargetStatus: STATUSES.map((status) => [
    status,
    STATUS_LABELS[status].ja,
    STATUS_LABELS[status].en,
  ]),
  FeedbackStatus: [
    ['PENDING', '確認待ち', 'Pending'],
    ['APPROVED', '掲載', 'Approved'],
    ['REJECTED', '非掲載', 'Rejected'],
  ],
  ChangeKind: [
    ['CREATE', '作成', 'Created'],
    ['UPDATE', '更新', 'Updated'],
    ['DELETE', '削除', 'Deleted'],
  ],
  LiveEventKind: [
    ['ENTERED', '公開・追加', 'Entered your view'],
    ['MODIFIED', '変更', 'Modified'],
    ['LEFT', '非公開・削除', 'Left your view'],
  ],
  Role: [
    ['ADMIN', '管理者', 'Administrator'],
    ['PLANNING', '企画担当', 'Planning section'],
    ['EDITOR', '部の編集者', 'Department editor'],
    ['REVIEWER', '外部評価委員会', 'External evaluation committee'],
  ],
  ReorganisationKind: [
    ['SPLIT', '分割', 'Split'],
    ['MERGE', '統合', 'Merge'],
    ['TRANSFER', '移管', 'Transfer'],
  ],
  SearchField: [
    ['INITIATIVE_TEXT', '個別事業', 'Initiative'],
    ['INITIATIVE_FOOTNOTE', '注記', 'Footnote'],
    ['PLAN_MISSION', '部の使命・目標に関する認識', 'Mission and goals'],
    ['PLAN_POLICY', '今年度の実施方針', 'Policy for the year'],
    ['EVALUATION_SUMMARY', '達成状況', 'Achievement'],
  ],
  PlanOrder: [
    ['NEWEST_YEAR_FIRST', '新しい年度順', 'Newest year first'],
    ['OLDEST_YEAR_FIRST', '古い年度順', 'Oldest year first'],
    ['DEPARTMENT_THEN_YEAR', '部ごと・年度順', 'By department, then year'],
    ['RECENTLY_UPDATED', '更新が新しい順', 'Recently updated'],
  ],
  InitiativeOrder: [
    ['PLAN_ORDER', '掲載順', 'As published'],
    ['OLDEST_YEAR_FIRST', '古い年度順', 'Oldest year first'],
    ['RECENTLY_UPDATED', '更新が新しい順', 'Recently updated'],
  ],
  EvaluationOrder: [
    ['INITIATIVE_ORDER', '掲載順', 'As published'],
    ['RATING', '評価順', 'By rating'],
    ['PROGRESS_DESC', '進捗の高い順', 'Highest progress first'],
  ],
};

const ValueLabelRef = builder.objectRef<ValueLabel>('ValueLabel').implement({
  description: 'How to show one enum value.',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'The enum value, e.g. ACHIEVED.' }),
    label: t.exposeString('label', { description: 'Japanese, e.g. 達成.' }),
    labelEn: t.exposeString('labelEn', { description: 'English, e.g. Achieved.' }),
  }),
});

const EnumLabelsRef = builder
  .objectRef<{ name: string; values: ValueLabel[] }>('EnumLabels')
  .implement({
    description: 'Display labels of one enum of this schema.',
    fields: (t) => ({
      enum: t.exposeString('name', { description: 'The GraphQL enum, e.g. AchievementRating.' }),
      values: t.field({ type: [ValueLabelRef], resolve: (e) => e.values }),
    }),
  });

builder.queryField('labels', (t) =>
  t.field({
    type: [EnumLabelsRef],
    description:
      'Japanese and English display labels of the enums of this API (all of them, or those named).',
    args: {
      enums: t.arg.stringList({ description: 'e.g. ["AchievementRating"]; all when absent.' }),
    },
    resolve: (_root, args) =>
      Object.entries(LABELS)
        .filter(([name]) => args.enums == null || args.enums.includes(name))
        .map(([name, values]) => ({
          name,
          values: values.map(([value, label, labelEn]) => ({ value, label, labelEn })),
        })),
  }),
);
