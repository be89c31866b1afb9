import { describe, expect, it } from 'vitest';
import { CsvRowSplitter, csvPieces } from './csv-parts.js';
import { chunked, parseCsv } from './test-support.js';

const HEADER = 'id,"na""me",note\n';
const ROWS = [
  '1,plain,\n',
  '2,"comma, inside",""\n',
  '3,"line\nbreak and ""quotes""","ends with quote"""\n',
  '4,"""",x\n',
  '5,"ünïcödé ✓ 😀","crlf\r\ninside"\n',
  '6,"",\n',
  '7,"\n\n\n","a""\n""b"\n',
];
const BODY = ROWS.join('');
const INPUT = Buffer.from(HEADER + BODY);

async function split(input: Buffer, chunkSize: number, pieceBytes: number) {
  const splitter = new CsvRowSplitter(pieceBytes);
  const pieces = [];
  for await (const piece of csvPieces(chunked(input, chunkSize), splitter)) pieces.push(piece);
  return { splitter, pieces };
}

describe('CsvRowSplitter', () => {
  for (const chunkSize of [1, 7, 1 << 20]) {
    for (const pieceBytes of [1, 30, 1 << 20]) {
      it(`cuts only at row boundaries (chunks of ${chunkSize} bytes, pieces of ${pieceBytes})`, async () => {
        const { splitter, pieces } = await split(INPUT, chunkSize, pieceBytes);
        expect(splitter.header?.toString()).toBe(HEADER);
        expect(splitter.rows).toBe(ROWS.length);
        expect(pieces.reduce((n, p) => n + p.rows, 0)).toBe(ROWS.length);
        const texts = pieces.map((p) => Buffer.concat(p.buffers).toString());
        expect(texts.join('')).toBe(BODY);
        for (const [i, piece] of pieces.entries()) {
          expect(piece.bytes).toBe(Buffer.byteLength(texts[i]!));
          // Every piece parses on its own into exactly its rows.
          expect(parseCsv(texts[i]!)).toHaveLength(piece.rows);
        }
        if (pieceBytes === 1) expect(pieces).toHaveLength(ROWS.length);
        expect(pieces.reduce((n, p) => n + p.quotedNewlines, 0)).toBeGreaterThanOrEqual(3);
      });
    }
  }

  it('parses the test CSV the way the reference parser does', () => {
    const rows = parseCsv(BODY);
    expect(rows[0]).toEqual(['1', 'plain', null]);
    expect(rows[1]).toEqual(['2', 'comma, inside', '']);
    expect(rows[2]).toEqual(['3', 'line\nbreak and "quotes"', 'ends with quote"']);
    expect(rows[6]).toEqual(['7', '\n\n\n', 'a"\n"b']);
  });

  it('reports no quoted newlines for plain rows', async () => {
    const { pieces } = await split(Buffer.from('a,b\n1,"x, y"\n2,""\n'), 3, 1);
    expect(pieces.map((p) => p.quotedNewlines)).toEqual([0, 0]);
  });

  it('throws when the input ends inside a quoted field', async () => {
    await expect(split(Buffer.from('a,b\n1,"open\n'), 4, 1 << 20)).rejects.toThrow(/inside a quoted field/);
  });

  it('adds the missing newline to an unterminated last row and counts it', async () => {
    const { splitter, pieces } = await split(Buffer.from('a,b\n1,2\n3,4'), 3, 1 << 20);
    expect(splitter.rows).toBe(2);
    expect(Buffer.concat(pieces.flatMap((p) => p.buffers)).toString()).toBe('1,2\n3,4\n');
  });

  it('handles a header without rows and an empty input', async () => {
    const headerOnly = await split(Buffer.from('a,b\n'), 1, 10);
    expect(headerOnly.splitter.header?.toString()).toBe('a,b\n');
    expect(headerOnly.pieces).toHaveLength(0);
    const empty = await split(Buffer.alloc(0), 1, 10);
    expect(empty.splitter.header).toBeUndefined();
  });
});
