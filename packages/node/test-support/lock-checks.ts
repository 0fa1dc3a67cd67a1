import { isTokenStorageError, type TokenStorage } from "@globus-app/core";
import { sampleTokenData } from "@globus-app/core/testing";
import { expect } from "vitest";

/** A storage whose `withLock` (optional in the contract) is there. */
type LockingStorage = TokenStorage & Required<Pick<TokenStorage, "withLock">>;

/**
 * Two lock holders per storage, all on the lock `refresh:x`, each storing a record and pausing
 * inside it: checks that no two ever held it at once. The storages are separate connections to one
 * store (as replicas on separate machines would be), so the lock must hold across them.
 */
export async function expectOneHolderAtATime(storages: readonly LockingStorage[]): Promise<void> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    storages.flatMap((storage) =>
      [1, 2].map(() =>
        storage.withLock("refresh:x", async () => {
          inside++;
          most = Math.max(most, inside);
          // Storage calls inside the lock run under it (on the lock's connection, where it has one).
          await storage.storeTokenDataByResourceServer({ x: sampleTokenData("x") });
          await new Promise((resolve) => setTimeout(resolve, 15));
          inside--;
        }),
      ),
    ),
  );
  expect(most).toBe(1);
}

/**
 * While `holder` holds the lock `k` (taken `settleMs` before), `waiter` (made with a 100 ms lock
 * timeout) must fail with a TokenStorageError saying so; once released, `waiter` gets it.
 */
export async function expectLockTimeout(
  holder: LockingStorage,
  waiter: LockingStorage,
  settleMs: number,
): Promise<void> {
  let release: () => void = () => undefined;
  const held = holder.withLock("k", () => new Promise<void>((resolve) => (release = resolve)));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const error = await waiter.withLock("k", async () => "ran").catch((e: unknown) => e);
  expect(isTokenStorageError(error)).toBe(true);
  expect((error as Error).message).toMatch(/Timed out after 100 ms waiting for the lock 'k'/);
  release();
  await held;
  expect(await waiter.withLock("k", async () => "ran")).toBe("ran");
}
