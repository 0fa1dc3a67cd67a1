import type { GlobusUser, LoginOptions } from "globus-app";
import { useLogin } from "globus-app/react";
import { type ReactNode, useEffect, useState } from "react";
import { ErrorAlert } from "./error-alert.tsx";
import { FileTable } from "./file-table.tsx";
import { popupLogin, portalConfig } from "./portal-app.ts";
import { stepUpParams } from "./step-up.ts";
import { StepUpNotice } from "./step-up-notice.tsx";
import { type ListingRequest, useListing } from "./use-listing.ts";

/** The collection to list again once a step-up login by redirect comes back to a new page. */
const REDRIVE_KEY = "globus-app-react-demo:redrive";

/** The props of {@link TransferListing}. */
export interface TransferListingProps {
  /** The signed-in person: a step-up must come back as them. */
  user: GlobusUser;
}

/**
 * Lists a collection through Transfer (`operationLs`). When the collection demands more than the
 * sign-in gave (a GARE: MFA here), offers the sign-in it asks for; after it — in a popup, by
 * redirect, or in another tab — the listing is retried.
 *
 * @example
 * ```tsx
 * const user = useUser();
 * if (user) return <TransferListing user={user} />;
 * ```
 */
export function TransferListing({ user }: TransferListingProps): ReactNode {
  // Read once per mount; a page that comes back from a step-up by redirect starts with its listing.
  const [request, setRequest] = useState<ListingRequest | undefined>(() => {
    const collectionId = sessionStorage.getItem(REDRIVE_KEY);
    return collectionId ? { collectionId } : undefined;
  });
  useEffect(() => {
    sessionStorage.removeItem(REDRIVE_KEY);
  }, []);
  const listing = useListing(request);
  const { login, pending, error } = useLogin();

  /** Signs in again: with a GARE's parameters for a step-up, else as a fresh sign-in. */
  const signIn = (via: "redirect" | "popup", authParams?: LoginOptions["authParams"]): void => {
    const options: LoginOptions = authParams
      ? { authParams: stepUpParams(authParams, user.sub) }
      : { force: true };
    if (via === "popup") {
      // No await before login(): the popup must open within the click.
      void login({ ...options, loginFlowManager: popupLogin });
      return;
    }
    if (request) sessionStorage.setItem(REDRIVE_KEY, request.collectionId);
    // Navigates away; resolves only if the login could not start.
    void login(options).then(() => sessionStorage.removeItem(REDRIVE_KEY));
  };

  const list = (collectionId: string) => () => setRequest({ collectionId });
  const busy = listing.status === "loading";
  return (
    <section className="card" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">Transfer</h2>
      <p className="muted">
        The portal's <code>TransferClient</code> (<code>useGlobusClient</code>) lists a collection.
      </p>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={list(portalConfig.lsCollection)}>
          List the sample collection
        </button>
        {portalConfig.stepUpCollection ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={list(portalConfig.stepUpCollection)}
          >
            List the high-assurance collection (needs MFA)
          </button>
        ) : null}
      </div>
      <ErrorAlert error={error} signIn={(via) => signIn(via)} signingIn={pending} />
      <div className="listing" aria-live="polite" aria-busy={busy}>
        {listing.status === "loading" ? <p>Listing collection {listing.collectionId}…</p> : null}
        {listing.status === "step-up" ? (
          <StepUpNotice
            gare={listing.gare}
            collection={`Collection ${listing.collectionId}`}
            steppingUp={pending}
            stepUp={(via) => signIn(via, listing.gare.authorization_parameters)}
          />
        ) : null}
        {listing.status === "failed" ? (
          <ErrorAlert error={listing.error} signIn={(via) => signIn(via)} signingIn={pending} />
        ) : null}
        {listing.status === "listed" ? (
          <>
            <h3>
              Files in {listing.name ?? "collection"} <code className="muted">{listing.collectionId}</code>
            </h3>
            <FileTable caption={`Files in ${listing.name ?? listing.collectionId}`} files={listing.files} />
          </>
        ) : null}
      </div>
    </section>
  );
}
