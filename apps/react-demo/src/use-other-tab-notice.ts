import { useGlobusApp } from "globus-app/react";
import { useCallback, useEffect, useState } from "react";

/**
 * A note for the page when another tab signed in or out (the app's `login` and `logout` events with
 * `source: "remote"`). The hooks update the page by themselves; this only says why it changed.
 *
 * @returns the note (undefined when there is none) and a function that clears it
 * @example
 * ```tsx
 * const [note, clearNote] = useOtherTabNotice();
 * return note ? <p>{note}</p> : null;
 * ```
 */
export function useOtherTabNotice(): [note: string | undefined, clear: () => void] {
  const app = useGlobusApp();
  const [note, setNote] = useState<string>();
  useEffect(() => {
    const offs = [
      app.on("login", (event) => {
        if (event.source === "remote") setNote("Another tab signed in; this page now shows that sign-in.");
      }),
      app.on("logout", (event) => {
        if (event.source === "remote") setNote("Another tab signed out; you are signed out here too.");
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [app]);
  const clear = useCallback(() => setNote(undefined), []);
  return [note, clear];
}
