const DAY_MS = 86_400_000;

/** Whole days from `now` until `validTo`; negative once expired (−1 on the day after expiry). */
export function daysRemaining(validTo: Date, now: number): number {
  return Math.floor((validTo.getTime() - now) / DAY_MS);
}

/** "3 days", "1 day", "less than a day": for messages about certificate expiry. */
export function formatDays(days: number): string {
  if (days <= 0) return 'less than a day';
  return days === 1 ? '1 day' : `${days} days`;
}
