// A municipality's open data as datasets a portal harvests: one for every year it published
// (stable URLs /open-data/<code>/<year>/...) and one for all years (/open-data/<code>/...),
// each described three ways from the same facts: a Frictionless Data Package (datapackage.json,
// with the Table Schemas of table-schema.ts), DCAT in JSON-LD (what CKAN's DCAT harvester and
// the national catalogue read) and CKAN's own package_show shape. Public data only.
import type { OpenDataLicence } from '../../config.ts';
import type { PrismaClient } from '../../db/client.ts';
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';
import { ENTITY_LABELS, ENTITY_NAMES, type EntityName } from './columns.ts';
import { contentType, type ExportFormat } from './export.ts';
import { machineSchema, readableSchema } from './table-schema.ts';

export type Variant = 'machine' | 'readable';
export const VARIANTS: readonly Variant[] = ['machine', 'readable'];

/** A file of a dataset: an entity in a variant and format. */
export interface ResourceFile {
  entity: EntityName;
  variant: Variant;
  format: ExportFormat;
}

/** The resource's name in packages and URLs: plans, plans-readable. */
export const resourceName = (entity: EntityName, variant: Variant) =>
  variant === 'machine' ? entity : `${entity}-readable`;

export function parseResourceName(name: string): { entity: EntityName; variant: Variant } | null {
  const readable = name.endsWith('-readable');
  const entity = (readable ? name.slice(0, -'-readable'.length) : name) as EntityName;
  return ENTITY_NAMES.includes(entity)
    ? { entity, variant: readable ? 'readable' : 'machine' }
    : null;
}

/** What a dataset says of its publisher and period. */
export interface DatasetFacts {
  code: string;
  name: string;
  prefecture: string;
  contactSection: string | null;
  contactExtension: string | null;
  /** The fiscal year of a yearly dataset; undefined for all years. */
  year: number | undefined;
  /** Fiscal years with public plans, oldest first. */
  years: number[];
  /** The last change to what the public sees in the dataset (or its creation). */
  modified: Date;
  licence: OpenDataLicence;
  /** Absolute URL of the server, without a trailing slash. */
  base: string;
}

/** The facts of a municipality's dataset (a year's, or all years'); null when it has none. */
export async function datasetFacts(
  prisma: PrismaClient,
  code: string,
  year: number | undefined,
  licence: OpenDataLicence,
  base: string,
): Promise<DatasetFacts | null> {
  const municipality = await prisma.municipality.findUnique({
    where: { code },
    select: {
      id: true,
      code: true,
      name: true,
      prefecture: true,
      contactSection: true,
      contactExtension: true,
      createdAt: true,
    },
  });
  if (!municipality) return null;
  const plans = await prisma.departmentPlan.findMany({
    where: { status: 'PUBLISHED', department: { municipalityId: municipality.id } },
    select: { fiscalYear: true },
    distinct: ['fiscalYear'],
    orderBy: { fiscalYear: 'asc' },
  });
  const years = plans.map((p) => p.fiscalYear);
  if (year !== undefined && !years.includes(year)) return null;
  const last = await prisma.changeRecord.findFirst({
    where: {
      municipalityId: municipality.id,
      OR: [{ audienceAfter: 'PUBLIC' }, { audienceBefore: 'PUBLIC' }],
      ...(year !== undefined ? { fiscalYear: year } : {}),
    },
    orderBy: { id: 'desc' },
    select: { createdAt: true },
  });
  return {
    code: municipality.code,
    name: municipality.name,
    prefecture: municipality.prefecture,
    contactSection: municipality.contactSection,
    contactExtension: municipality.contactExtension,
    year,
    years,
    modified: last?.createdAt ?? municipality.createdAt,
    licence,
    base,
  };
}

/** The dataset's folder URL: /open-data/132047 or /open-data/132047/2012. */
export function datasetUrl(facts: Pick<DatasetFacts, 'base' | 'code'>, year?: number): string {
  return `${facts.base}/open-data/${facts.code}${year !== undefined ? `/${year}` : ''}`;
}

export function fileName(file: ResourceFile): string {
  return `${resourceName(file.entity, file.variant)}.${file.format}`;
}

/** The dataset's names, titles and period, in Japanese and English. */
export function datasetText(facts: DatasetFacts) {
  const { year, years } = facts;
  const first = years[0];
  const last = years[years.length - 1];
  const period =
    year !== undefined
      ? { ja: fiscalYearOf(year).label, en: fiscalYearOf(year).labelEn }
      : first !== undefined && last !== undefined
        ? {
            ja: `${fiscalYearOf(first).label}〜${fiscalYearOf(last).label}`,
            en: `FY${first}–FY${last}`,
          }
        : { ja: '', en: '' };
  const start = year ?? first;
  const end = year ?? last;
  return {
    name: `hoshin-${facts.code}${year !== undefined ? `-${year}` : ''}`,
    title: `${facts.name} 各部の運営方針と目標・達成状況 ${period.ja}`.trim(),
    titleEn: `${facts.name}: department plans and their evaluations ${period.en}`.trim(),
    description: `${facts.prefecture}${facts.name}の各部の運営方針と目標(部の使命・目標、経営資源、今年度の実施方針、個別事業)と、個別事業の達成状況(自治体経営白書で公表)${period.ja ? `。対象: ${period.ja}` : ''}。機械判読用(コード、ISO 8601)と閲覧用(日本語の表示名、和暦、日本時間の日付)の2種類のファイルがあります。`,
    descriptionEn: `Each department's yearly plan (mission, staff and budget, policy, individual projects) and the evaluation of every project, as published by ${facts.name}. Machine-readable files (codes, ISO 8601) and readable ones (Japanese labels, names as of the year, JST dates).`,
    /** ISO dates of the fiscal years covered (1 April to 31 March). */
    temporal:
      start !== undefined && end !== undefined
        ? { start: fiscalYearOf(start).startDate, end: fiscalYearOf(end).endDate }
        : undefined,
    contact: [
      facts.name,
      facts.contactSection,
      facts.contactExtension && `内線 ${facts.contactExtension}`,
    ]
      .filter(Boolean)
      .join(' '),
  };
}

const KEYWORDS = ['行政評価', '事務事業評価', '運営方針', '自治体経営白書', '個別事業'];

/** Frictionless Data Package descriptor (tabular-data-package), resources relative to it. */
export function dataPackage(facts: DatasetFacts) {
  const text = datasetText(facts);
  const landing = `${datasetUrl(facts, facts.year)}/`;
  return {
    profile: 'tabular-data-package',
    name: text.name,
    id: landing,
    title: text.title,
    titleEn: text.titleEn,
    description: `${text.description}\n\n${text.descriptionEn}`,
    homepage: landing,
    keywords: KEYWORDS,
    licenses: [{ name: facts.licence.id, path: facts.licence.url, title: facts.licence.title }],
    contributors: [
      {
        title: [facts.name, facts.contactSection].filter(Boolean).join(' '),
        organization: facts.name,
        role: 'publisher',
      },
    ],
    // Not in the Frictionless specification: DCAT's period and frequency, for portals.
    temporalCoverage: text.temporal,
    updateFrequency: 'annual',
    modified: facts.modified.toISOString(),
    resources: VARIANTS.flatMap((variant) =>
      ENTITY_NAMES.map((entity) => ({
        name: resourceName(entity, variant),
        path: fileName({ entity, variant, format: 'csv' }),
        profile: 'tabular-data-resource',
        title: `${ENTITY_LABELS[entity].ja}${variant === 'readable' ? '(閲覧用)' : ''}`,
        titleEn: `${ENTITY_LABELS[entity].en}${variant === 'readable' ? ' (readable)' : ''}`,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        // As csv-stringify writes it (spreadsheet.ts CSV_OPTIONS); stated, so that no reader
        // has to guess the delimiter from Japanese headers.
        dialect: {
          delimiter: ',',
          lineTerminator: '\r\n',
          quoteChar: '"',
          doubleQuote: true,
          header: true,
        },
        schema:
          variant === 'machine'
            ? machineSchema(entity, (parent) => resourceName(parent, 'machine'))
            : readableSchema(entity),
      })),
    ),
  };
}

/** The distributions of a dataset: each resource as CSV and XLSX, and the package itself. */
export function distributions(facts: DatasetFacts) {
  const folder = datasetUrl(facts, facts.year);
  const files = VARIANTS.flatMap((variant) =>
    ENTITY_NAMES.flatMap((entity) =>
      (['csv', 'xlsx'] as const).map((format) => ({ entity, variant, format })),
    ),
  );
  return [
    ...files.map((file) => ({
      name: fileName(file),
      title: `${ENTITY_LABELS[file.entity].ja}${file.variant === 'readable' ? '(閲覧用)' : ''} (${file.format.toUpperCase()})`,
      titleEn: `${ENTITY_LABELS[file.entity].en}${file.variant === 'readable' ? ' (readable)' : ''} (${file.format.toUpperCase()})`,
      url: `${folder}/${fileName(file)}`,
      format: file.format.toUpperCase(),
      mediaType: contentType(file.format).split(';')[0] ?? '',
      conformsTo: `${folder}/datapackage.json#${resourceName(file.entity, file.variant)}`,
    })),
    {
      name: 'datapackage.json',
      title: 'データパッケージ (Frictionless Data Package)',
      titleEn: 'Frictionless Data Package descriptor',
      url: `${folder}/datapackage.json`,
      format: 'JSON',
      mediaType: 'application/json',
      conformsTo: 'https://specs.frictionlessdata.io/data-package/',
    },
  ];
}

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

const lang = (ja: string, en: string) => [
  { '@value': ja, '@language': 'ja' },
  { '@value': en, '@language': 'en' },
];

/** One dataset as a DCAT dcat:Dataset node (JSON-LD, compacted with CONTEXT). */
export function dcatDataset(facts: DatasetFacts) {
  const text = datasetText(facts);
  const landing = `${datasetUrl(facts, facts.year)}/`;
  const licence = { '@id': facts.licence.url };
  return {
    '@id': landing,
    '@type': 'dcat:Dataset',
    'dct:identifier': text.name,
    'dct:title': lang(text.title, text.titleEn),
    'dct:description': lang(text.description, text.descriptionEn),
    'dct:publisher': {
      '@type': 'foaf:Organization',
      'foaf:name': { '@value': facts.name, '@language': 'ja' },
    },
    'dcat:contactPoint': { '@type': 'vcard:Organization', 'vcard:fn': text.contact },
    'dct:license': licence,
    'dct:language': { '@id': 'http://id.loc.gov/vocabulary/iso639-1/ja' },
    'dct:accrualPeriodicity': { '@id': 'http://purl.org/cld/freq/annual' },
    'dct:modified': { '@value': facts.modified.toISOString(), '@type': 'xsd:dateTime' },
    ...(text.temporal
      ? {
          'dct:temporal': {
            '@type': 'dct:PeriodOfTime',
            'dcat:startDate': { '@value': text.temporal.start, '@type': 'xsd:date' },
            'dcat:endDate': { '@value': text.temporal.end, '@type': 'xsd:date' },
          },
        }
      : {}),
    'dcat:keyword': KEYWORDS.map((k) => ({ '@value': k, '@language': 'ja' })),
    'dcat:landingPage': { '@id': landing },
    'dcat:distribution': distributions(facts).map((d) => ({
      '@id': d.url,
      '@type': 'dcat:Distribution',
      'dct:title': lang(d.title, d.titleEn),
      'dcat:accessURL': { '@id': d.url },
      'dcat:downloadURL': { '@id': d.url },
      'dcat:mediaType': {
        '@id': `http://www.iana.org/assignments/media-types/${d.mediaType}`,
      },
      'dct:format': d.format,
      'dct:license': licence,
      'dct:conformsTo': { '@id': d.conformsTo },
    })),
  };
}

/** A DCAT catalogue (JSON-LD) of a municipality's datasets: every year's and all years'. */
export function dcatCatalogue(all: DatasetFacts, yearly: DatasetFacts[]) {
  const home = `${datasetUrl(all)}/`;
  return {
    '@context': CONTEXT,
    '@id': `${datasetUrl(all)}/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': lang(
      `${all.name} オープンデータ(行政評価)`,
      `${all.name} open data (evaluations)`,
    ),
    'dct:publisher': {
      '@type': 'foaf:Organization',
      'foaf:name': { '@value': all.name, '@language': 'ja' },
    },
    'dct:license': { '@id': all.licence.url },
    'foaf:homepage': { '@id': home },
    'dcat:dataset': [all, ...yearly].map(dcatDataset),
  };
}

/** CKAN's package_show answer for the dataset (what a CKAN-to-CKAN harvester reads). */
export function ckanPackage(facts: DatasetFacts) {
  const text = datasetText(facts);
  const landing = `${datasetUrl(facts, facts.year)}/`;
  return {
    help: `${facts.base}/open-data/${facts.code}/`,
    success: true,
    result: {
      name: text.name,
      title: text.title,
      notes: `${text.description}\n\n${text.descriptionEn}`,
      url: landing,
      license_id: facts.licence.ckanId,
      license_title: facts.licence.title,
      license_url: facts.licence.url,
      author: facts.name,
      maintainer: text.contact,
      organization: { name: `municipality-${facts.code}`, title: facts.name },
      metadata_modified: facts.modified.toISOString(),
      state: 'active',
      type: 'dataset',
      private: false,
      tags: KEYWORDS.map((name) => ({ name })),
      extras: [
        { key: 'frequency', value: 'annual' },
        { key: 'language', value: 'ja' },
        { key: 'spatial', value: `${facts.prefecture}${facts.name} (${facts.code})` },
        ...(text.temporal
          ? [
              { key: 'temporal_start', value: text.temporal.start },
              { key: 'temporal_end', value: text.temporal.end },
            ]
          : []),
      ],
      resources: distributions(facts).map((d) => ({
        name: d.title,
        description: d.titleEn,
        url: d.url,
        format: d.format,
        mimetype: d.mediaType,
        conforms_to: d.conformsTo,
      })),
      num_resources: distributions(facts).length,
    },
  };
}
