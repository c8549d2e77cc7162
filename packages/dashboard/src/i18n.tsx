// Japanese first; English labels on request (the toggle in the header, remembered). Texts of
// plans are never translated: they are shown exactly as stored.
import { createContext, useContext } from 'react';

export type Lang = 'ja' | 'en';

const messages = {
  title: ['各部の運営方針と目標', 'Department policies and goals'],
  browse: ['閲覧', 'Browse'],
  compare: ['比較', 'Compare'],
  summary: ['年度集計', 'Year summary'],
  live: ['更新履歴', 'Live'],
  staff: ['職員モード', 'Staff mode'],
  municipality: ['自治体', 'Municipality'],
  fiscalYear: ['年度', 'Fiscal year'],
  department: ['部', 'Department'],
  allDepartments: ['すべての部', 'All departments'],
  mission: ['① 部の使命・目標に関する認識', '① Mission and goals'],
  resources: ['② 部の経営資源', '② Resources'],
  staffCount: ['職員数', 'Staff'],
  budget: ['予算規模', 'Budget'],
  people: ['人', ''],
  yen: ['円', ' yen'],
  policy: ['③ 今年度の実施方針と個別事業', '③ Policy and projects this year'],
  notStated: ['(記載なし)', '(not stated)'],
  reformLegend: [
    '☞…行革推進事業(行財政改革の視点から取り組む重点的な事業)',
    '☞ = administrative reform project (行革推進事業)',
  ],
  contact: ['問い合わせ', 'Contact'],
  extension: ['内線', 'ext.'],
  noPlans: ['この条件で公開されている計画はありません。', 'No published plan for this selection.'],
  loading: ['読み込み中…', 'Loading…'],
  loadFailed: ['読み込めませんでした', 'Could not load'],
  download: ['CSVをダウンロード', 'Download CSV'],
  openData: ['オープンデータ(データパッケージ・項目定義)', 'Open data (package, field dictionary)'],
  feed: ['公表のお知らせ (Atom)', 'Publication feed (Atom)'],
  state_connecting: ['接続中', 'Connecting'],
  state_live: ['ライブ', 'Live'],
  state_retrying: ['再接続中', 'Retrying'],
  state_offline: ['オフライン', 'Offline'],
  connection: ['接続', 'Connection'],
  draft: ['下書き', 'Draft'],
  published: ['公開', 'Published'],
  rating: ['評価', 'Rating'],
  ACHIEVED: ['達成', 'Achieved'],
  MOSTLY_ACHIEVED: ['概ね達成', 'Mostly achieved'],
  PARTIALLY_ACHIEVED: ['一部達成', 'Partially achieved'],
  NOT_ACHIEVED: ['未達成', 'Not achieved'],
  unevaluated: ['未評価', 'Not evaluated'],
  carried: ['継続', 'Carried on'],
  added: ['新規', 'New'],
  ended: ['終了', 'Ended'],
  compareYears: ['部の年度比較', 'One department across years'],
  compareDepartments: ['年度の部別比較', 'One year across departments'],
  initiatives: ['個別事業', 'Projects'],
  reform: ['行革推進事業', 'Reform projects'],
  reformShare: ['行革推進事業の割合', 'Share of reform projects'],
  plans: ['計画数', 'Plans'],
  evaluated: ['評価済み', 'Evaluated'],
  byDepartment: ['部別の個別事業数', 'Projects per department'],
  achievement: ['評価別の達成状況', 'Achievement by rating'],
  count: ['件数', 'Count'],
  events: ['受信した変更', 'Changes received'],
  noEvents: [
    'まだ変更はありません。表示中のデータは変更があると自動で更新されます。',
    'No change yet. Every view updates in place when the data changes.',
  ],
  left: ['非表示になりました', 'left the view'],
  token: ['APIトークン', 'API token'],
  tokenHelp: [
    'hsn_… で始まるトークンを貼り付けてください。このタブの間だけ保存されます。',
    'Paste a token (hsn_…). It is kept for this tab only.',
  ],
  signIn: ['使用する', 'Use token'],
  signOut: ['トークンを消去', 'Forget token'],
  usingToken: ['トークン使用中', 'Using a token'],
  drafts: ['下書きと計画', 'Drafts and plans'],
  edit: ['編集', 'Edit'],
  save: ['保存', 'Save'],
  cancel: ['取消', 'Cancel'],
  publish: ['公開する', 'Publish'],
  unpublish: ['公開を取り消す', 'Unpublish'],
  saved: ['保存しました', 'Saved'],
  conflict: [
    '他の人が先に更新しました(現在の版: {current})。再読み込みして編集し直してください。',
    'Someone else saved first (now version {current}). Reload and edit again.',
  ],
  reload: ['再読み込み', 'Reload'],
  language: ['English', '日本語'],
  version: ['版', 'version'],
  text: ['本文', 'Text'],
  position: ['順', 'No.'],
  footnotes: ['注', 'Notes'],
  status: ['状態', 'Status'],
  networkError: [
    '保存できませんでした(通信エラー)。入力内容はそのまま残っています。もう一度保存してください。',
    'Not saved (network error). Your edit is kept: save again.',
  ],
  forbidden: ['このトークンにはこの操作の権限がありません。', 'Your token may not do this.'],
  notFound: [
    '対象が見つかりません(削除された可能性があります)。',
    'Not found (it may have been deleted).',
  ],
  invalidInput: ['入力内容を確認してください。', 'Please check the highlighted fields.'],
  issue_too_small: ['値が小さすぎます(下限を下回っています)。', 'Too small.'],
  issue_too_big: ['値が大きすぎます(上限を超えています)。', 'Too large.'],
  issue_invalid_type: ['入力の形式が正しくありません。', 'Wrong kind of value.'],
  issue_UNCHANGED: ['すでにその状態です。', 'Already in that state.'],
  issue_other: ['この値は受け付けられません。', 'This value is not accepted.'],
  tokenInvalid: [
    'トークンが無効です(誤り・失効・期限切れ)。公開されている情報だけを表示しています。',
    'The token is not valid (wrong, revoked or expired). Showing public information only.',
  ],
  readOnly: [
    'このトークンではこの計画を編集できません(公開済みの計画を変更できるのは企画経営課です)。',
    'Your token cannot edit this plan (published plans are changed by the planning section).',
  ],
  signedInAs: ['トークン', 'Token'],
  tokenInvalidShort: ['トークン無効', 'Token not valid'],
  skipToContent: ['本文へ移動', 'Skip to content'],
  lastUpdated: ['最終更新', 'Last updated'],
  progress: ['進捗', 'Progress'],
  evaluation: ['評価', 'Evaluation'],
  targets: ['目標指標', 'Targets'],
  latest: ['最新の実績', 'Latest actual'],
  target: ['目標値', 'Target'],
  notStatedParts: ['記載なし', 'Not stated'],
  dictionary: ['項目の説明(データ辞書)', 'Field dictionary'],
  search: ['検索', 'Search'],
  searchWords: ['検索する語(空白で区切ると全ての語を含むもの)', 'Words (all must occur)'],
  reformOnly: ['☞ 行革推進事業のみ', '☞ Reform projects only'],
  results: ['{count}件', '{count} results'],
  moreResults: ['さらに表示', 'More results'],
  feedback: ['この計画へのご意見', 'Your opinion on this plan'],
  feedbackNotice: [
    'いただいたご意見は企画経営課が確認してから公開します。個人情報は書かないでください。連絡先は公開されません。',
    'Opinions are published after the planning section has reviewed them. Do not include personal information; a contact address is never published.',
  ],
  feedbackBody: ['ご意見(2000字以内)', 'Opinion (up to 2000 characters)'],
  feedbackEmail: ['連絡先メール(任意・非公開)', 'Contact e-mail (optional, not published)'],
  send: ['送信', 'Send'],
  feedbackSent: [
    'ご意見を受け付けました。確認のうえ公開します。',
    'Received. It will be published after review.',
  ],
  rateLimited: [
    '送信が多すぎます。しばらくしてからお試しください。',
    'Too many requests: try again later.',
  ],
  noStreamName: ['(表示できない記録)', '(a record you can no longer see)'],
  noToken: [
    'トークンなしでは公開済みの計画のみ表示されます。',
    'Without a token only published plans are shown.',
  ],
} as const;

export type MessageKey = keyof typeof messages;

export const LangContext = createContext<Lang>('ja');

export function translate(
  lang: Lang,
  key: MessageKey,
  values: Record<string, string | number> = {},
) {
  let text: string = messages[key][lang === 'ja' ? 0 : 1];
  for (const [name, value] of Object.entries(values))
    text = text.replace(`{${name}}`, String(value));
  return text;
}

export function useT() {
  const lang = useContext(LangContext);
  return (key: MessageKey, values?: Record<string, string | number>) =>
    translate(lang, key, values);
}

/** The API's label of an enum value in the page's language (the code until labels load). */
export function labelOf(
  labels: ReadonlyMap<string, ReadonlyMap<string, readonly [string, string]>> | undefined,
  lang: Lang,
  enumName: string,
  value: string,
): string {
  const label = labels?.get(enumName)?.get(value);
  return label ? label[lang === 'ja' ? 0 : 1] : value;
}

export function useLang(): Lang {
  return useContext(LangContext);
}
