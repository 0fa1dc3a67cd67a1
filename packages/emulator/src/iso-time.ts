/**
 * @internal Emulator-clock seconds as an ISO-8601 timestamp with a UTC offset, like Globus's.
 *
 * @example
 * isoTime(0); // "1970-01-01T00:00:00.000+00:00"
 */
export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace("Z", "+00:00");
}
