import { isTokenStorageError } from "@globus-app/core";
import { expect } from "vitest";

/**
 * Each call rejects with a TokenStorageError whose message matches `pattern` and whose `location`
 * is `location` (the storage's file): how the file storages refuse unsafe or unreadable files.
 */
export async function expectEveryCallRefused(
  calls: ReadonlyArray<() => Promise<unknown>>,
  pattern: RegExp,
  location: string,
): Promise<void> {
  for (const call of calls) {
    const error = await call().then(
      (value) => value,
      (e: unknown) => e,
    );
    expect(isTokenStorageError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
    expect((error as { location?: string }).location).toBe(location);
  }
}
