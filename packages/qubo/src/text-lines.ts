import { QuboValidationError } from './errors.js';

/** One non-blank, non-comment line of a text file, split on whitespace; `line` is 1-based. */
export interface TextLine {
  line: number;
  fields: string[];
}

/**
 * Splits text into whitespace-separated fields per line: CRLF/CR line ends, leading and trailing
 * blanks are tolerated, blank lines skipped; lines whose first field starts with one of
 * `commentPrefixes` are skipped too.
 */
export function textLines(text: string, commentPrefixes: readonly string[] = []): TextLine[] {
  if (typeof text !== 'string') throw new QuboValidationError('KILN_ERR_QUBO_PARSE', 'input must be text', { line: 0 });
  const out: TextLine[] = [];
  const raw = text.split(/\r\n|\r|\n/);
  for (let k = 0; k < raw.length; k++) {
    const s = (raw[k] as string).trim();
    if (s === '') continue;
    if (commentPrefixes.some((p) => s.startsWith(p))) continue;
    out.push({ line: k + 1, fields: s.split(/\s+/) });
  }
  return out;
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads the line's fields as numbers, checking count and kinds; the error names the line and field. */
export class LineReader {
  constructor(
    private readonly lines: TextLine[],
    private readonly what: string,
  ) {}
  private pos = 0;

  get done(): boolean {
    return this.pos >= this.lines.length;
  }

  /** The line number a missing line would have had (for "unexpected end of input"). */
  get lastLine(): number {
    return this.lines.length === 0 ? 0 : (this.lines[this.lines.length - 1] as TextLine).line;
  }

  next(expect: string, count: number): TextLine {
    const l = this.lines[this.pos++];
    if (l === undefined) {
      throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `${this.what}: unexpected end of input after line ${this.lastLine}, expected ${expect}`, {
        line: this.lastLine + 1,
      });
    }
    if (l.fields.length !== count) {
      throw new QuboValidationError(
        'KILN_ERR_QUBO_PARSE',
        `${this.what} line ${l.line}: expected ${expect} (${count} fields), got ${l.fields.length} field(s) "${l.fields.join(' ')}"`,
        {
          line: l.line,
        },
      );
    }
    return l;
  }

  /** The k-th field as an integer in [min, max]; out-of-range values give KILN_ERR_QUBO_INDEX when `isIndex`, else KILN_ERR_QUBO_PARSE. */
  int(l: TextLine, k: number, field: string, min: number, max: number, isIndex = false): number {
    const s = l.fields[k] as string;
    if (!INTEGER.test(s)) {
      throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `${this.what} line ${l.line}: ${field} must be an integer, got "${s}"`, { line: l.line, field });
    }
    const v = Number(s);
    if (v < min || v > max) {
      const code = isIndex ? 'KILN_ERR_QUBO_INDEX' : 'KILN_ERR_QUBO_PARSE';
      throw new QuboValidationError(code, `${this.what} line ${l.line}: ${field} = ${v} is outside ${min}..${max}`, { line: l.line, field });
    }
    return v;
  }

  num(l: TextLine, k: number, field: string): number {
    const s = l.fields[k] as string;
    if (!NUMBER.test(s)) {
      throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `${this.what} line ${l.line}: ${field} must be a number, got "${s}"`, { line: l.line, field });
    }
    const v = Number(s);
    if (!Number.isFinite(v)) {
      throw new QuboValidationError('KILN_ERR_QUBO_NONFINITE', `${this.what} line ${l.line}: ${field} = ${s} is not finite`, { line: l.line, field });
    }
    return v;
  }

  /** Fails on any line left after the declared entries. */
  end(): void {
    const l = this.lines[this.pos];
    if (l !== undefined) {
      throw new QuboValidationError(
        'KILN_ERR_QUBO_PARSE',
        `${this.what} line ${l.line}: unexpected extra line "${l.fields.join(' ')}" after the declared entries`,
        { line: l.line },
      );
    }
  }
}
