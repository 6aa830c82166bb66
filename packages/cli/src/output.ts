import type { Writable } from 'node:stream';

/** Where a command writes: results on `out`, progress and notes on `err`; bars only when `err` is a terminal. */
export interface Io {
  out: Writable & { isTTY?: boolean };
  err: Writable & { isTTY?: boolean; columns?: number };
  json: boolean;
}

export function print(io: Io, text: string): void {
  io.out.write(`${text}\n`);
}

export function note(io: Io, text: string): void {
  if (!io.json) io.err.write(`${text}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A one-line status that rewrites itself on a terminal (`\r`, clear line). On anything else, or
 * with --json, it says nothing: commands print plain lines at the moments that matter instead.
 */
export class StatusLine {
  private shown = false;
  constructor(private readonly io: Io) {}

  get live(): boolean {
    return !this.io.json && this.io.err.isTTY === true;
  }

  update(text: string): void {
    if (!this.live) return;
    // A terminal of unknown size (0 columns, as under `script`) gets the usual 100.
    const width = Math.max(20, (this.io.err.columns || Number(process.env.COLUMNS) || 100) - 1);
    this.io.err.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  /** Clears the line (a permanent line may follow). */
  clear(): void {
    if (this.shown) this.io.err.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** `[██████░░░░░░]` for a fraction in [0, 1]. */
export function bar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

export function seconds(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A plain table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n');
}

export const fixed = (x: number | undefined, digits = 4): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
