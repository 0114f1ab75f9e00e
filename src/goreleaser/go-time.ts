/**
 * Go's reference-time layouts (https://pkg.go.dev/time#pkg-constants, "Mon Jan 2 15:04:05 MST 2006"),
 * formatted in UTC: GoReleaser formats `time` and `.Date` with `.UTC()`.
 * Chunks are recognised as in time/format.go's nextStdChunk, longest first.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number, fill = '0'): string => String(n).padStart(width, fill);

function yearDay(d: Date): number {
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

type Chunk = readonly [string, (d: Date) => string];

const hour12 = (d: Date): number => d.getUTCHours() % 12 || 12;

// Order matters: at each position the first chunk that matches wins (longer before shorter).
const CHUNKS: readonly Chunk[] = [
  ['January', (d) => MONTHS[d.getUTCMonth()]!],
  ['Jan', (d) => MONTHS[d.getUTCMonth()]!.slice(0, 3)],
  ['Monday', (d) => DAYS[d.getUTCDay()]!],
  ['Mon', (d) => DAYS[d.getUTCDay()]!.slice(0, 3)],
  ['MST', () => 'UTC'],
  ['2006', (d) => pad(d.getUTCFullYear(), 4)],
  ['002', (d) => pad(yearDay(d), 3)],
  ['01', (d) => pad(d.getUTCMonth() + 1, 2)],
  ['02', (d) => pad(d.getUTCDate(), 2)],
  ['03', (d) => pad(hour12(d), 2)],
  ['04', (d) => pad(d.getUTCMinutes(), 2)],
  ['05', (d) => pad(d.getUTCSeconds(), 2)],
  ['06', (d) => pad(d.getUTCFullYear() % 100, 2)],
  ['15', (d) => pad(d.getUTCHours(), 2)],
  ['__2', (d) => pad(yearDay(d), 3, ' ')],
  ['_2', (d) => pad(d.getUTCDate(), 2, ' ')],
  ['1', (d) => String(d.getUTCMonth() + 1)],
  ['2', (d) => String(d.getUTCDate())],
  ['3', (d) => String(hour12(d))],
  ['4', (d) => String(d.getUTCMinutes())],
  ['5', (d) => String(d.getUTCSeconds())],
  ['PM', (d) => (d.getUTCHours() >= 12 ? 'PM' : 'AM')],
  ['pm', (d) => (d.getUTCHours() >= 12 ? 'pm' : 'am')],
  ['Z07:00:00', () => 'Z'],
  ['Z070000', () => 'Z'],
  ['Z07:00', () => 'Z'],
  ['Z0700', () => 'Z'],
  ['Z07', () => 'Z'],
  ['-07:00:00', () => '+00:00:00'],
  ['-070000', () => '+000000'],
  ['-07:00', () => '+00:00'],
  ['-0700', () => '+0000'],
  ['-07', () => '+00'],
];

export function formatGoTime(date: Date, layout: string): string {
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      // Fractional seconds: .000 keeps zeros, .999 trims them (and the dot if nothing is left).
      const digits = frac[1]!;
      const ms = pad(date.getUTCMilliseconds(), 3) + '000000';
      let f = ms.slice(0, digits.length);
      if (digits[0] === '9') f = f.replace(/0+$/, '');
      out += f ? layout[i]! + f : '';
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find(([k]) => layout.startsWith(k, i));
    if (chunk) {
      out += chunk[1](date);
      i += chunk[0].length;
    } else {
      out += layout[i];
      i++;
    }
  }
  return out;
}
