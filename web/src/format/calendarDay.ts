// Calendar days in the two forms the client meets: ДД.ММ.ГГГГ (the UI kit's DatePicker) and
// ГГГГ-ММ-ДД (addresses and the API).

/** `2026-12-02` → `02.12.2026`; anything else → ''. */
export function russianDayOf(isoDay: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : '';
}

/** `02.12.2026` → `2026-12-02`; an incomplete or impossible date → ''. */
export function isoDayOf(russianDay: string): string {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(russianDay.trim());
  if (!match) return '';
  const [, day, month, year] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1 ? `${year}-${month}-${day}` : '';
}
