// Word pools for Japanese-like synthetic text, modelled on the Mitaka plans (広報みたか,
// 平成24年度「各部の運営方針と目標」): municipal subjects, aims, measures and the polite
// sentence endings those documents use. The generator picks from them by hash, in SQL.
// No single quotes anywhere: the pools are inlined as SQL string literals.

/** The ten departments of every synthetic municipality; the first eight are Mitaka's. */
export const DEPARTMENTS: readonly { code: string; name: string; nameEn: string }[] = [
  { code: 'kikaku', name: '企画部', nameEn: 'Planning' },
  { code: 'somu', name: '総務部', nameEn: 'General Affairs' },
  { code: 'shimin', name: '市民部', nameEn: 'Citizens Affairs' },
  { code: 'seikatsu-kankyo', name: '生活環境部', nameEn: 'Living Environment' },
  { code: 'kenko-fukushi', name: '健康福祉部', nameEn: 'Health and Welfare' },
  { code: 'kodomo-seisaku', name: '子ども政策部', nameEn: 'Children Policy' },
  { code: 'toshi-seibi', name: '都市整備部', nameEn: 'Urban Development' },
  { code: 'kyoiku', name: '教育部', nameEn: 'Education' },
  { code: 'sangyo-shinko', name: '産業振興部', nameEn: 'Industry Promotion' },
  { code: 'kaikei', name: '会計管理室', nameEn: 'Accounting' },
];

// The prefectures come from the server's own list of national codes.
export { PREFECTURES } from '@hoshin/server/testing';

/** Place-name parts: 東 + 山 + 市 and the like. */
export const PLACE_HEADS = [
  '東',
  '西',
  '南',
  '北',
  '上',
  '下',
  '中',
  '大',
  '小',
  '新',
  '本',
  '高',
  '白',
  '青',
  '若',
  '朝',
  '富',
  '長',
  '松',
  '桜',
];
export const PLACE_TAILS = [
  '山',
  '川',
  '田',
  '野',
  '原',
  '沢',
  '島',
  '浜',
  '岡',
  '崎',
  '谷',
  '瀬',
  '森',
  '里',
  '津',
  '宮',
];
export const PLACE_KINDS = ['市', '市', '市', '町', '町', '村'];
export const CONTACT_SECTIONS = ['企画経営課', '企画政策課', '政策企画課', '経営企画課', '企画課'];

/** What an initiative is about. */
export const TOPICS = [
  '地域防災計画',
  '子育て支援',
  '高齢者福祉',
  '地域包括ケア',
  '公共施設',
  '学校施設',
  '市立図書館',
  '市民協働',
  '都市計画道路',
  '下水道',
  '公園緑地',
  '商店街',
  '観光振興',
  'ごみ減量',
  '再生可能エネルギー',
  '健康づくり',
  '生涯学習',
  '文化振興',
  '情報システム',
  '窓口サービス',
  '地域安全',
  '交通安全',
  '空き家対策',
  '都市農地',
  '保育施設',
  '学童保育',
  '障がい者支援',
  '国民健康保険',
  '市税収納',
  '財政運営',
  '小・中一貫教育',
  'コミュニティ・スクール',
  '地域ケアネットワーク',
  '景観形成',
  '耐震化',
];

/** What it aims at: 〇〇の{AIM}に向け. */
export const AIMS = [
  '整備',
  '充実',
  '見直し',
  '推進',
  '強化',
  '効率化',
  '改善',
  '再編',
  '長寿命化',
  '適正化',
  '普及啓発',
  '利用促進',
  '基盤整備',
  '活性化',
  '安定的な運営',
  'さらなる充実と発展',
];

/** What is done: {MEASURE}を{ENDING}. */
export const MEASURES = [
  '基本計画の策定',
  '実施設計',
  '関係機関との連携',
  '市民アンケートの実施',
  '庁内検討会の設置',
  'モデル事業',
  '指定管理者制度の導入',
  '電子申請の拡大',
  '補助制度の創設',
  '耐震改修工事',
  '市民向け講座の開催',
  '相談体制の整備',
  '積極的な情報発信',
  '事業の評価・検証',
  '人材の養成と活動支援',
  '効率的・効果的な運営体制の確立',
  '条例の整備',
  '施設の建て替え',
  '公募委員による市民会議',
  '東京都と連携した取り組み',
  '地域団体への支援',
  '報告書のとりまとめ',
];

export const ENDINGS = [
  '進めます',
  '実施します',
  '行います',
  '図ります',
  '検討します',
  '推進します',
  '完了します',
  '開始します',
  '拡充します',
  '目指します',
];

/** Openers of a second or third sentence. */
export const LINKS = ['また、', 'あわせて、', 'さらに、', '引き続き、', '今年度は、'];

/** How a plan's mission opens: {DEPT}は、{VALUE}を目指し、… */
export const VALUES = [
  '市民の安全・安心な暮らし',
  '誰もが住み続けたいまち',
  '持続可能な自治体経営',
  '子どもたちの健やかな成長',
  '高環境・高福祉のまちづくり',
  '質の高い行政サービス',
  '活力ある地域社会',
  '協働によるまちづくり',
];

/** How an evaluation states what was done and how it went. */
export const DONE = ['実施した', '完了した', '開始した', '継続して実施した', '着実に進めた'];
export const OUTCOMES = [
  '目標をおおむね達成した',
  '計画どおり進捗した',
  '一部に遅れが生じた',
  '利用者数が前年度比で増加した',
  '市民満足度が向上した',
  '次年度に継続して取り組む',
  '課題の整理にとどまった',
  '予定していた事業費の範囲内で完了した',
];

/** Footnotes (※) explain a term; about one initiative in seven has one. */
export const FOOTNOTES = [
  '震災時に優先的に取り組む業務や必要な体制などを定めたもの。',
  '市が設置する公の施設の管理を民間事業者などに行わせる制度。',
  '学校と保護者・地域が一体となって学校運営に取り組む仕組み。',
  '地域の住民や団体が見守りや支え合いを行うためのネットワーク。',
  '事務事業の必要性や効率性を全庁的に点検する取り組み。',
  '行政手続をインターネットで行えるようにする仕組み。',
];

export const CITATIONS = ['第4次基本計画', '施政方針', '行財政改革アクションプラン'];
