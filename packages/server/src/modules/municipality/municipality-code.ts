// National local-government codes (全国地方公共団体コード): two digits of prefecture, three of
// municipality, and a check digit computed from the first five with weights 6,5,4,3,2.

/** The 47 prefectures, indexed by their code minus one (01 北海道 ... 47 沖縄県). */
export const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;

const WEIGHTS = [6, 5, 4, 3, 2];

/** The check digit for the first five digits: (11 - weighted sum mod 11) mod 10. */
export function checkDigit(firstFive: string): number {
  const sum = [...firstFive].reduce(
    (total, digit, i) => total + Number(digit) * (WEIGHTS[i] ?? 0),
    0,
  );
  return (11 - (sum % 11)) % 10;
}

export function hasValidCheckDigit(code: string): boolean {
  return /^[0-9]{6}$/.test(code) && checkDigit(code.slice(0, 5)) === Number(code[5]);
}

/** The prefecture a code belongs to (its first two digits), or undefined. */
export function prefectureOf(code: string): string | undefined {
  return PREFECTURES[Number(code.slice(0, 2)) - 1];
}
