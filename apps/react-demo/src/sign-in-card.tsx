import type { ReactNode } from "react";

/** The props of {@link SignInCard}. */
export interface SignInCardProps {
  /** Starts a sign-in; must call `login()` before any `await`, so a popup opens within the click. */
  signIn: (via: "redirect" | "popup") => void;
  /** True while a sign-in runs (the popup is open, or the page is leaving for Globus). */
  signingIn: boolean;
  /**
   * Offers "Forget the expired sign-in": someone's tokens are still stored but can no longer be
   * renewed, and another identity can sign in only once they are gone.
   */
  forget?: (() => void) | undefined;
  /** True while forgetting runs. */
  forgetting?: boolean | undefined;
}

/**
 * The signed-out state: sign in by redirect (the page leaves for Globus and comes back) or in a
 * popup (the page stays). While a sign-in runs, neither button starts another. After a sign-in
 * expired, also forget it (`forget`), so someone else can sign in.
 *
 * @example
 * ```tsx
 * const { login, pending } = useLogin();
 * <SignInCard signingIn={pending} signIn={() => void login({ force: true })} />
 * ```
 */
export function SignInCard({ signIn, signingIn, forget, forgetting }: SignInCardProps): ReactNode {
  return (
    <section className="card" aria-labelledby="signed-out-heading">
      <h1 id="signed-out-heading">Sign in to the portal</h1>
      <p>Use your Globus identity. You will see what the portal asks for, and can refuse.</p>
      <div className="actions">
        <button type="button" disabled={signingIn} onClick={() => signIn("redirect")}>
          Sign in with Globus
        </button>
        <button type="button" className="secondary" disabled={signingIn} onClick={() => signIn("popup")}>
          Sign in with a popup
        </button>
        {forget ? (
          <button
            type="button"
            className="secondary"
            disabled={signingIn || forgetting}
            aria-busy={forgetting}
            onClick={forget}
          >
            Forget the expired sign-in
          </button>
        ) : null}
      </div>
    </section>
  );
}
