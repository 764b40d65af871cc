import { epochDay, isoDate } from '../lib/dates.js';

/** 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const dayOfWeek = weekday(day);
  return dayOfWeek === 0 || dayOfWeek === 6;
}

export function isFriday(day: number): boolean {
  return weekday(day) === 5;
}

export function addYears(day: number, years: number): number {
  return day + Math.round(years * 365.25);
}

/** The trading days of the demo: `count` weekdays (Mon-Fri, no holidays) ending at the last weekday <= asOf. */
export class BusinessCalendar {
  readonly days: Int32Array;
  readonly dates: readonly string[];
  /** For each index, the index of the last business day before its month began, or -1 if before the calendar. */
  readonly previousMonthEnd: Int32Array;
  readonly previousYearEnd: Int32Array;

  constructor(asOf: string, count: number) {
    const days: number[] = [];
    for (let day = epochDay(asOf); days.length < count; day--) {
      if (!isWeekend(day)) days.push(day);
    }
    days.reverse();
    this.days = Int32Array.from(days);
    this.dates = days.map(isoDate);
    this.previousMonthEnd = this.lastIndexBeforePeriod((date) => date.slice(0, 7));
    this.previousYearEnd = this.lastIndexBeforePeriod((date) => date.slice(0, 4));
  }

  get length(): number {
    return this.days.length;
  }

  get first(): string {
    return this.date(0);
  }

  get last(): string {
    return this.date(this.days.length - 1);
  }

  date(index: number): string {
    const date = this.dates[index];
    if (date === undefined) throw new RangeError(`business day ${index} is outside the calendar of ${this.days.length} days`);
    return date;
  }

  day(index: number): number {
    const day = this.days[index];
    if (day === undefined) throw new RangeError(`business day ${index} is outside the calendar of ${this.days.length} days`);
    return day;
  }

  private lastIndexBeforePeriod(period: (date: string) => string): Int32Array {
    const result = new Int32Array(this.dates.length);
    let periodStart = 0;
    for (let index = 0; index < this.dates.length; index++) {
      if (index > 0 && period(this.date(index)) !== period(this.date(index - 1))) periodStart = index;
      result[index] = periodStart - 1;
    }
    return result;
  }
}
