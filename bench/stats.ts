// Medians, and the clock that keeps the benchmark within its time budget.

/** The median; a null (a run cut off) counts as longer than any finished run. */
export function median(xs: (number | null)[]): number | null {
  if (!xs.length) return null;
  const s = xs.map((x) => (x === null ? Infinity : x)).sort((p, q) => p - q);
  const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return Number.isFinite(m) ? m : null;
}

/** Progress on stderr, stamped with the time since the start; stdout carries only the table. */
export class Clock {
  readonly start = Date.now();
  constructor(readonly budgetMs: number) {}
  elapsed(): number {
    return Date.now() - this.start;
  }
  /** Whether another step that may take `ms` still fits in the budget. */
  fits(ms: number): boolean {
    return this.elapsed() + ms <= this.budgetMs;
  }
  log(...msg: unknown[]): void {
    const s = Math.round(this.elapsed() / 1000);
    process.stderr.write(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg.join(' ')}\n`);
  }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ratio = (x: number | null, base: number | null): string =>
  x === null || base === null || base === 0 ? '—' : `${(x / base).toFixed(2)}×`;
