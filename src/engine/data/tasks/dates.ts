/**
 * `dates`: a human-written date → ISO 8601 `YYYY-MM-DD`, in many formats (1950–2049).
 * Numeric formats are unambiguous by their separators: `M/D/YYYY` (US month first),
 * `YYYY/M/D` (year first), `D.M.YYYY` (dots: day first) and `YYYYMMDD`. Years are always
 * written with four digits, and weekdays are always the real weekday of the date.
 */
import { makeRng } from '../split';
import type { SentencePair } from '../load';
import type { TaskDefinition } from './types';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number) => String(n).padStart(2, '0');
const ordinal = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** A calendar date; month and day 1-based, weekday 0 = Sunday. */
export interface DateParts { year: number; month: number; day: number; weekday: number }

/** Every format, from a date to its text (index = format number). */
export const DATE_FORMATS: Array<(d: DateParts) => string> = [
  d => `${d.day} ${MONTHS[d.month - 1]} ${d.year}`,
  d => `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  d => `${WEEKDAYS[d.weekday]}, ${MONTHS[d.month - 1]} ${d.day}, ${d.year}`,
  d => `${pad(d.month)}/${pad(d.day)}/${d.year}`,
  d => `${d.month}/${d.day}/${d.year}`,
  d => `${d.day} ${MONTHS[d.month - 1].slice(0, 3)} ${d.year}`,
  d => `${MONTHS[d.month - 1].slice(0, 3)} ${d.day} ${d.year}`,
  d => `${ordinal(d.day)} of ${MONTHS[d.month - 1]} ${d.year}`,
  d => `${MONTHS[d.month - 1].toUpperCase()} ${d.day}, ${d.year}`,
  d => `${WEEKDAYS[d.weekday].slice(0, 3).toLowerCase()} ${d.day} ${MONTHS[d.month - 1].slice(0, 3).toLowerCase()} ${d.year}`,
  d => `${d.year}${pad(d.month)}${pad(d.day)}`,
  d => `${MONTHS[d.month - 1].toLowerCase()} ${d.day} ${d.year}`,
  d => `${d.day}.${d.month}.${d.year}`,
  d => `${WEEKDAYS[d.weekday]} ${d.day} ${MONTHS[d.month - 1]} ${d.year}`,
  d => `${d.year}/${d.month}/${d.day}`,
  d => `${MONTHS[d.month - 1]} ${ordinal(d.day)}, ${d.year}`,
];

const START = Date.UTC(1950, 0, 1);
const DAYS = Math.round((Date.UTC(2050, 0, 1) - START) / 86_400_000);

/** A uniformly random day of 1950–2049, with its weekday (0 = Sunday). */
export function randomDate(rng: () => number): DateParts {
  const date = new Date(START + Math.floor(rng() * DAYS) * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

/** `dates`: char → char, unique sources, default 20,000 pairs. */
export const datesTask: TaskDefinition = {
  name: 'dates',
  description: 'human-written dates (1950–2049) in 16 formats → ISO YYYY-MM-DD; M/D/YYYY is US month-first, D.M.YYYY day-first',
  defaultSize: 20_000,
  sourceTokenizer: 'char',
  targetTokenizer: 'char',
  available: () => Infinity,
  generate(size: number, seed: number): SentencePair[] {
    const rng = makeRng(`dates:${seed}`);
    const seen = new Set<string>();
    const pairs: SentencePair[] = [];
    for (let attempts = 0; pairs.length < size && attempts < size * 20; attempts++) {
      const d = randomDate(rng);
      const source = DATE_FORMATS[Math.floor(rng() * DATE_FORMATS.length)](d);
      if (seen.has(source)) continue;
      seen.add(source);
      pairs.push({ source, target: `${d.year}-${pad(d.month)}-${pad(d.day)}` });
    }
    return pairs;
  },
};
