import { useGlobusApp } from "globus-app/react";
import { useCallback, useEffect, useState } from "react";
import { isEndedSession } from "./describe-error.ts";

/**
 * Forgets a sign-in that Globus ended (its refresh token revoked, the session ended elsewhere):
 * when a renewal fails for good (the app's `refreshFailed` event), logs out with `sweep`, so the
 * page stops saying "Signed in" over dead tokens and a reload is plainly signed out; the other
 * tabs follow. A renewal that failed for a passing reason (no network) keeps the tokens.
 *
 * @returns the error that ended the sign-in, for the page's alert (undefined when none), and a
 *   function that clears it
 * @example
 * ```tsx
 * const [ended, clearEnded] = useForgetEndedSession();
 * return <ErrorAlert error={ended} onDismiss={clearEnded} />;
 * ```
 */
export function useForgetEndedSession(): [ended: unknown, clear: () => void] {
  const app = useGlobusApp();
  const [ended, setEnded] = useState<unknown>();
  useEffect(
    () =>
      app.on("refreshFailed", ({ error }) => {
        if (!isEndedSession(error)) return;
        setEnded(error);
        // Revoking tokens Globus already revoked is harmless, and logout() removes them here anyway.
        app.logout({ sweep: true }).catch((failure: unknown) => {
          console.warn("globus-app React demo: forgetting the ended sign-in", failure);
        });
      }),
    [app],
  );
  const clear = useCallback(() => setEnded(undefined), []);
  return [ended, clear];
}
