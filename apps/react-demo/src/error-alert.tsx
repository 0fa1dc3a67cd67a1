import type { ReactNode } from "react";
import { describeError } from "./describe-error.ts";
import { portalConfig } from "./portal-app.ts";

/** The props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  /** What was thrown; nothing is shown while it is undefined. */
  error: unknown;
  /** Replaces the title {@link describeError} gives. */
  title?: string | undefined;
  /** Offers "Sign in again" when signing in gets past the error. */
  signIn?: ((via: "redirect" | "popup") => void) | undefined;
  /** True while a sign-in runs: its buttons are disabled. */
  signingIn?: boolean | undefined;
  /** Offers "Dismiss". */
  onDismiss?: (() => void) | undefined;
}

/**
 * An alert that says what went wrong and what to do, with the library's message under "Details"
 * (never a token), and the ways forward the error allows.
 *
 * @example
 * ```tsx
 * const { login, error } = useLogin();
 * <ErrorAlert error={error} signIn={() => void login({ force: true })} />
 * ```
 */
export function ErrorAlert({ error, title, signIn, signingIn, onDismiss }: ErrorAlertProps): ReactNode {
  if (error === undefined) return null;
  const report = describeError(error, {
    authUrl: portalConfig.authUrl,
    emulator: portalConfig.mode === "emulator",
  });
  const offerSignIn = report.signIn && signIn !== undefined;
  return (
    <div className="alert" role="alert">
      <h2>{title ?? report.title}</h2>
      <p>{report.hint}</p>
      <details>
        <summary>Details</summary>
        <code>{report.detail}</code>
      </details>
      <div className="actions">
        {offerSignIn ? (
          <>
            <button type="button" disabled={signingIn} onClick={() => signIn("redirect")}>
              Sign in again with Globus
            </button>
            <button type="button" className="secondary" disabled={signingIn} onClick={() => signIn("popup")}>
              Sign in again in a popup
            </button>
          </>
        ) : null}
        {onDismiss ? (
          <button type="button" className="secondary" onClick={onDismiss}>
            Dismiss
          </button>
        ) : null}
      </div>
    </div>
  );
}
