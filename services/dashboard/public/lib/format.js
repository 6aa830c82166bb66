// Formatting for numbers, metrics, energies, times. All return plain strings.

export const DASH = '—';

export function isNum(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

export function fmtInt(value) {
  return isNum(value) ? Math.round(value).toLocaleString('en-US') : DASH;
}

/** Ranking metrics (HR@10, NDCG@10, MRR@10) live in [0, 1]: four decimals. */
export function fmtMetric(value) {
  return isNum(value) ? value.toFixed(4) : DASH;
}

/** Losses and other floats: up to 5 significant digits. */
export function fmtFloat(value) {
  if (!isNum(value)) return DASH;
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(5)).toString();
}

/** QUBO energies are often integers: keep them exact and ungrouped (easy to compare and copy). */
export function fmtEnergy(value) {
  if (!isNum(value)) return DASH;
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(8)).toString();
}

export function fmtMs(ms) {
  if (!isNum(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes} min ${seconds} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function fmtSeconds(seconds) {
  return isNum(seconds) ? fmtMs(seconds * 1000) : DASH;
}

const pad = (n) => String(n).padStart(2, '0');

/** Local time, `2026-11-28 14:09:03`. */
export function fmtTime(iso) {
  if (typeof iso !== 'string' || iso === '') return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** `3 min ago` */
export function fmtAgo(iso, now = Date.now()) {
  if (typeof iso !== 'string') return '';
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  if (ms < 5_000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

/** Milliseconds between two ISO times (to now when `to` is null), or null. */
export function elapsed(from, to) {
  if (typeof from !== 'string') return null;
  const start = new Date(from).getTime();
  const end = typeof to === 'string' ? new Date(to).getTime() : Date.now();
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}

/** A long id shortened for tables; the full id goes in a title attribute. */
export function shortId(id) {
  const text = String(id);
  return text.length > 14 ? `${text.slice(0, 8)}…${text.slice(-4)}` : text;
}
