import { TransferClient } from "globus-app";
import { useGlobusClient, useLogin, useLoginRequired, useLogout, useUser } from "globus-app/react";
import { type ReactNode, useState } from "react";
import { ErrorAlert } from "./error-alert.tsx";
import { popupLogin, transferOptions } from "./portal-app.ts";
import { SignInCard } from "./sign-in-card.tsx";
import { TransferListing } from "./transfer-listing.tsx";
import { useForgetEndedSession } from "./use-forget-ended-session.ts";
import { useOtherTabNotice } from "./use-other-tab-notice.ts";
import { WhoAmI } from "./who-am-i.tsx";

/** The props of {@link Portal}. */
export interface PortalProps {
  /** Why the redirect login that came back to this page failed (the provider's `onRedirectError`). */
  redirectError: unknown;
}

/** A login callback in a window this app's popup flow opened (the window then closes itself). */
function isPopupCallback(): boolean {
  const query = new URLSearchParams(location.search);
  return window.opener !== null && query.has("state") && (query.has("code") || query.has("error"));
}

/**
 * The portal: the signed-out card (sign in by redirect or popup), or who is signed in and a
 * Transfer listing; one status line, and an alert when something failed. Everything follows the
 * hooks, so a sign-in or sign-out in another tab shows here too.
 *
 * @example
 * ```tsx
 * <GlobusAppProvider app={portalApp} onRedirectError={setRedirectError}>
 *   <Portal redirectError={redirectError} />
 * </GlobusAppProvider>
 * ```
 */
export function Portal({ redirectError }: PortalProps): ReactNode {
  // Built at the first render, before any login, so the first login asks for Transfer's scope too.
  useGlobusClient(TransferClient, transferOptions);
  const user = useUser();
  const loginRequired = useLoginRequired();
  const signIn = useLogin();
  const signOut = useLogout();
  const [via, setVia] = useState<"redirect" | "popup">();
  const [loggedOutHere, setLoggedOutHere] = useState(false);
  const [otherTabNote, clearOtherTabNote] = useOtherTabNotice();
  const [endedSession, clearEndedSession] = useForgetEndedSession();
  const [dismissed, setDismissed] = useState<ReadonlySet<unknown>>(new Set());

  const signedIn = user !== undefined && user !== null && loginRequired === false;
  // Someone's tokens are stored but cannot be renewed: they can be forgotten.
  const expired = user !== undefined && user !== null && loginRequired === true;
  const error = [signIn.error, signOut.error, redirectError, endedSession].find(
    (e) => e !== undefined && !dismissed.has(e),
  );

  /** This tab acts: notes about earlier errors and other tabs are stale now. */
  const clearNotes = (): void => {
    setDismissed(new Set([...dismissed, signIn.error, signOut.error, redirectError]));
    clearEndedSession();
    clearOtherTabNote();
    setLoggedOutHere(false);
  };

  const startSignIn = (how: "redirect" | "popup"): void => {
    clearNotes();
    setVia(how);
    // No await before login(): the popup must open within the click.
    void signIn.login(how === "popup" ? { force: true, loginFlowManager: popupLogin } : { force: true });
  };

  const logOut = async (): Promise<void> => {
    clearNotes();
    // Revokes every token this app stored at Globus, removes them, and tells the other tabs.
    await signOut.logout({ sweep: true });
    setLoggedOutHere(true);
  };

  let status: string;
  if (isPopupCallback()) status = "Finishing the sign-in… this window closes by itself.";
  else if (user === undefined || loginRequired === undefined) status = "Loading…";
  else if (signIn.pending && via === "popup") status = "Finish signing in in the popup window…";
  else if (signIn.pending) status = "Taking you to Globus to sign in…";
  else if (signOut.pending) status = "Signing out…";
  else if (signedIn) status = `Signed in as ${user.name || user.preferred_username || user.sub}.`;
  else if (error !== undefined)
    status = ""; // the alert speaks for itself
  else if (loggedOutHere) status = "You are signed out. Your tokens were revoked.";
  else status = user ? "Your sign-in has expired. Sign in again." : "You are signed out.";

  const revokeFailed = error !== undefined && error === signOut.error && !signedIn;
  return (
    <>
      <p className="status" role="status">
        {status}
      </p>
      {otherTabNote ? (
        <p className="remote" aria-live="polite">
          {otherTabNote}
        </p>
      ) : null}
      <ErrorAlert
        error={error}
        title={revokeFailed ? "You are signed out here, but Globus could not revoke the tokens." : undefined}
        signIn={signedIn ? undefined : startSignIn}
        signingIn={signIn.pending}
        onDismiss={clearNotes}
      />
      {user === undefined || isPopupCallback() ? null : signedIn ? (
        <>
          <WhoAmI user={user} onLogOut={() => void logOut()} loggingOut={signOut.pending} />
          <TransferListing user={user} />
        </>
      ) : (
        <SignInCard
          signIn={startSignIn}
          signingIn={signIn.pending}
          forget={expired ? () => void logOut() : undefined}
          forgetting={signOut.pending}
        />
      )}
    </>
  );
}
