import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ValidationReport } from './run.js';
import type { ReportFiles, Relation, RowDifference } from './types.js';

const FILES: ReportFiles = {
  json: 'report.json',
  markdown: 'summary.md',
  differencesCsv: 'differences.csv',
  sourceSql: 'source.sql',
  targetSql: 'target.sql',
};

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function differencesCsv(key: string[], differences: RowDifference[]): string {
  const header = [...key, 'kind', 'columns', 'side'].map(csvField).join(',');
  const lines = differences.map((d) =>
    [...key.map((k) => d.key[k] ?? null), d.kind, (d.columns ?? []).join(' '), d.side ?? '']
      .map(csvField)
      .join(','),
  );
  return [header, ...lines].join('\n') + '\n';
}

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim().slice(0, 120);

function relationText(r: Relation): string {
  if (!('table' in r)) return `query: ${oneLine(r.query)}`;
  const columns = r.columns === undefined ? '' : ` (${r.columns.join(', ')})`;
  return `${r.table}${columns}${r.where === undefined ? '' : ` where ${oneLine(r.where)}`}`;
}

function mdCell(value: unknown): string {
  const s =
    value === null || value === undefined ? '∅' : typeof value === 'string' ? value : JSON.stringify(value);
  return s.replaceAll('|', '\\|').replaceAll('\n', '\\n');
}

function table(rows: Record<string, unknown>[], columns: string[]): string[] {
  if (rows.length === 0) return [];
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${columns.map((c) => mdCell(r[c])).join(' | ')} |`),
  ];
}

const MARKDOWN_ROWS = 50;

export function markdownSummary(report: ValidationReport): string {
  const r = report.result;
  const out = [
    `# Validation ${r.status.toUpperCase()}`,
    '',
    `- source: ${report.source.label} (${report.source.dialect}) ${relationText(report.source.relation)}`,
    `- target: ${report.target.label} (${report.target.dialect}) ${relationText(report.target.relation)}`,
    `- started ${report.startedAt}, took ${report.timingsMs.total ?? 0} ms`,
    ...(report.key ? [`- key: ${report.key.join(', ')}`] : []),
    ...report.notes.map((n) => `- note: ${n}`),
    '',
  ];
  if (r.count)
    out.push(
      `## Count: ${r.count.status}`,
      '',
      `source ${r.count.source_rows}, target ${r.count.target_rows}`,
      '',
    );
  if (r.schema) {
    out.push(
      `## Schema: ${r.schema.status}`,
      '',
      ...table(r.schema.differences, ['column', 'kind', 'source', 'target']),
      '',
    );
  }
  if (r.metrics) {
    out.push(
      `## Metrics: ${r.metrics.status}`,
      '',
      ...table(r.metrics.differences, ['column', 'metric', 'source', 'target']),
      '',
    );
  }
  if (r.rows) {
    out.push(`## Rows: ${r.rows.status}`, '');
    if (r.rows.reason) out.push(r.rows.reason, '');
    out.push(`source ${r.rows.source_rows} rows, target ${r.rows.target_rows} rows`);
    if (report.buckets)
      out.push(`, ${report.buckets.differing} of ${report.buckets.total} hash buckets differ`);
    out.push('', '');
    const listed = (r.rows.differences as RowDifference[]).slice(0, MARKDOWN_ROWS).map((d) => ({
      key: Object.entries(d.key)
        .map(([k, v]) => `${k}=${v === null ? 'NULL' : String(v)}`)
        .join(', '),
      kind: d.side ? `${d.kind} (${d.side})` : d.kind,
      columns: (d.columns ?? []).join(', '),
    }));
    out.push(...table(listed, ['key', 'kind', 'columns']));
    const more = r.rows.differences.length - listed.length;
    if (more > 0) out.push('', `… ${more} more in differences.csv`);
    if (r.rows.truncated) out.push('', 'The list stops at the configured maximum; more rows differ.');
    out.push('');
  }
  return out.join('\n');
}

/** Writes report.json, summary.md, differences.csv, source.sql and target.sql into `dir`. */
export async function writeReports(report: ValidationReport, dir: string): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const differences = (report.result.rows?.differences ?? []) as RowDifference[];
  const comment = (side: 'source' | 'target'): string =>
    `-- Rows listed in differences.csv, as stored on the ${side} (${report[side].label}, ${report[side].dialect})\n`;
  const contents: Record<keyof ReportFiles, string> = {
    json: JSON.stringify(report, null, 2) + '\n',
    markdown: markdownSummary(report),
    differencesCsv: differencesCsv(report.key ?? [], differences),
    sourceSql: comment('source') + (report.reselect?.source ?? '-- rows level not run') + ';\n',
    targetSql: comment('target') + (report.reselect?.target ?? '-- rows level not run') + ';\n',
  };
  await Promise.all(
    (Object.keys(FILES) as (keyof ReportFiles)[]).map((k) =>
      writeFile(path.join(dir, FILES[k]), contents[k], 'utf8'),
    ),
  );
  return { ...FILES };
}
