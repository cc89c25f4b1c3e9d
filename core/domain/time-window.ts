import type { TimeRangeSpec } from "../model/database.ts";

/** Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm; no Date object, no zone). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Shift a local "YYYY-MM-DD[ HH:MM:SS]" by minus its UTC offset, giving UTC "YYYY-MM-DD HH:MM:SS". */
export function localToUtc(local: string, utcOffset: string): string {
  const [date, time = "00:00:00"] = local.split(" ");
  const [y, mo, d] = date!.split("-").map(Number) as [number, number, number];
  const [h, mi, s] = time.split(":").map(Number) as [number, number, number];
  const sign = utcOffset.startsWith("-") ? -1 : 1;
  const [oh, om] = utcOffset.slice(1).split(":").map(Number) as [number, number];
  let seconds = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - sign * (oh * 3600 + om * 60);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const [cy, cm, cd] = civilFromDays(days);
  return `${pad(cy, 4)}-${pad(cm)}-${pad(cd)} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

export interface UtcWindow {
  start: string;
  end: string;
  /** True when both bounds are whole UTC days, so a `date` literal says the same thing. */
  dateOnly: boolean;
}

/** The UTC window of a time range; `asUtc` reads the local bounds as if they were UTC. */
export function utcWindow(range: TimeRangeSpec, asUtc = false): UtcWindow {
  const offset = asUtc ? "+00:00" : range.utc_offset;
  const start = localToUtc(range.start, offset);
  const end = localToUtc(range.end, offset);
  const dateOnly = start.endsWith(" 00:00:00") && end.endsWith(" 00:00:00");
  return { start, end, dateOnly };
}
