// Money is integer cents everywhere; dollars appear only in words meant for people.

/** 5000 → "$50.00", -1997 → "-$19.97". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
