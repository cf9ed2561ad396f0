/**
 * EventBridge schedule expressions: `rate(5 minutes)`, `cron(0 12 * * ? *)` and, for EventBridge Scheduler,
 * one-time `at(2030-01-01T09:00:00)`. A schedule answers "when is the next run after this instant?". `cron` and `at`
 * read wall-clock time in `timezone` (an IANA name, as Scheduler's ScheduleExpressionTimezone; rules use UTC).
 */
export interface Schedule {
  /** The next run strictly after `after` (epoch ms), or undefined when there is none. */
  next(after: number): number | undefined;
}

export function parseScheduleExpression(expression: string, timezone = 'UTC'): Schedule {
  const match = /^(rate|cron|at)\((.*)\)$/.exec(expression.trim());
  if (!match) throw new Error(`not a schedule expression: ${expression}`);
  const [, kind, body = ''] = match;
  if (kind === 'rate') return rateSchedule(body);
  const wallClock = kind === 'at' ? atSchedule(body) : cronSchedule(body);
  return timezone === 'UTC' ? wallClock : inTimezone(wallClock, timezone);
}

/** A schedule over wall-clock times (written as UTC instants) read in `timeZone`. */
function inTimezone(wallClock: Schedule, timeZone: string): Schedule {
  const offset = timezoneOffset(timeZone);
  // The offset at the wall time itself is off by the DST shift near a transition; the second look corrects it.
  const fromWall = (wall: number) => wall - offset(wall - offset(wall));
  return {
    next(after) {
      let wall = wallClock.next(after + offset(after));
      while (wall !== undefined && fromWall(wall) <= after) wall = wallClock.next(wall);
      return wall === undefined ? undefined : fromWall(wall);
    },
  };
}

/** Milliseconds `timeZone` is ahead of UTC at an instant; throws for an unknown zone. */
export function timezoneOffset(timeZone: string): (instant: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new Error(`unknown time zone: ${timeZone}`);
  }
  return (instant) => {
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      Number(format.formatToParts(new Date(instant)).find((candidate) => candidate.type === type)?.value);
    const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
    return wall - Math.floor(instant / 1000) * 1000;
  };
}

const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

function rateSchedule(body: string): Schedule {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  const value = Number(match?.[1]);
  if (!match || value < 1) throw new Error(`invalid rate expression: rate(${body})`);
  const interval = value * (unitMs[(match[2] as string).replace(/s$/, '')] as number);
  return { next: (after) => after + interval };
}

function atSchedule(body: string): Schedule {
  const at = Date.parse(`${body.trim()}Z`);
  if (Number.isNaN(at)) throw new Error(`invalid at expression: at(${body})`);
  return { next: (after) => (at > after ? at : undefined) };
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function cronSchedule(body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    throw new Error(`cron(${body}) needs 6 fields: minutes hours day-of-month month day-of-week year`);
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new Error(`cron(${body}): exactly one of day-of-month and day-of-week must be ?`);
  }
  const minutes = parseField(minute, 0, 59);
  const hours = parseField(hour, 0, 23);
  const days = dayOfMonth === '?' ? undefined : parseField(dayOfMonth, 1, 31);
  const months = parseField(month, 1, 12, monthNames);
  // AWS numbers days of the week 1 (Sunday) to 7 (Saturday).
  const weekdays = dayOfWeek === '?' ? undefined : parseField(dayOfWeek, 1, 7, dayNames);
  const years = parseField(year, 1970, 2199);

  return {
    next(after) {
      const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
      for (let y = start.getUTCFullYear(); y <= 2199; y += 1) {
        if (!years.has(y)) continue;
        for (let m = 1; m <= 12; m += 1) {
          if (!months.has(m) || Date.UTC(y, m, 1) <= start.getTime()) continue;
          const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
          for (let d = 1; d <= daysInMonth; d += 1) {
            if (Date.UTC(y, m - 1, d + 1) <= start.getTime()) continue;
            const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;
            if (days ? !days.has(d) : !weekdays?.has(weekday)) continue;
            for (const h of [...hours].sort((a, b) => a - b)) {
              for (const min of [...minutes].sort((a, b) => a - b)) {
                const candidate = Date.UTC(y, m - 1, d, h, min);
                if (candidate >= start.getTime()) return candidate;
              }
            }
          }
        }
      }
      return undefined;
    },
  };
}

function parseField(field: string, min: number, max: number, names: string[] = []): Set<number> {
  const values = new Set<number>();
  const value = (text: string) => {
    const named = names.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + 1 : Number(text);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new Error(`cron field "${field}": ${text} is not in ${min}-${max}`);
    }
    return number;
  };
  for (const part of field.split(',')) {
    if (/#|^L|^\d+[LW]$/i.test(part)) throw new Error(`cron field "${field}": L, W and # are not supported locally`);
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron field "${field}": bad step ${stepText}`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = min;
      high = max;
    } else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      low = value(from);
      high = value(to);
    } else {
      low = value(range);
      high = stepText === undefined ? low : max;
    }
    for (let n = low; n <= high; n += step) values.add(n);
  }
  return values;
}
