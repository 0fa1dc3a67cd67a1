import { type FileDocument, type GARE, isGlobusAPIError, TransferClient, toGare } from "globus-app";
import { useAuthorizer, useGlobusClient } from "globus-app/react";
import { useEffect, useState } from "react";
import { transferOptions } from "./portal-app.ts";

/** A listing asked for; a new object (even of the same collection) lists again. */
export interface ListingRequest {
  readonly collectionId: string;
}

/** Where a {@link useListing} stands. */
export type ListingState =
  | { readonly status: "idle" }
  | { readonly status: "loading"; readonly collectionId: string }
  | {
      readonly status: "listed";
      readonly collectionId: string;
      /** The collection's display name, when Transfer gave it. */
      readonly name: string | undefined;
      readonly files: readonly FileDocument[];
    }
  /** The collection asks for more than the sign-in gave (MFA, consent): a login with the GARE. */
  | { readonly status: "step-up"; readonly collectionId: string; readonly gare: GARE }
  | { readonly status: "failed"; readonly collectionId: string; readonly error: unknown };

const TRANSFER_RESOURCE_SERVER = "transfer.api.globus.org";

interface Settled {
  readonly request: ListingRequest;
  readonly authorizer: object;
  readonly state: ListingState;
}

async function list(transfer: TransferClient, collectionId: string): Promise<ListingState> {
  try {
    const [listing, name] = await Promise.all([
      transfer.operationLs(collectionId),
      // People know a collection by its name; the listing matters more than its heading.
      transfer.getEndpoint(collectionId).then(
        (endpoint) => endpoint.display_name || undefined,
        () => undefined,
      ),
    ]);
    return { status: "listed", collectionId, name, files: listing.DATA };
  } catch (error) {
    // A 403 that carries a Globus Auth requirements error: a login with its parameters fixes it.
    const gare = isGlobusAPIError(error) ? toGare(error.body) : null;
    return gare ? { status: "step-up", collectionId, gare } : { status: "failed", collectionId, error };
  }
}

/**
 * Lists a collection with the portal's `TransferClient` (`useGlobusClient`), and lists it again
 * whenever the tokens change — a step-up login in a popup or in another tab, a refresh — since
 * `useAuthorizer` hands out a new authorizer then. Nothing is asked for while signed out.
 *
 * @param request - what to list; undefined: nothing yet
 * @example
 * ```tsx
 * const [request, setRequest] = useState<ListingRequest>();
 * const listing = useListing(request);
 * <button onClick={() => setRequest({ collectionId })}>List</button>
 * ```
 */
export function useListing(request: ListingRequest | undefined): ListingState {
  const transfer = useGlobusClient(TransferClient, transferOptions);
  const { authorizer, error } = useAuthorizer(TRANSFER_RESOURCE_SERVER);
  const [settled, setSettled] = useState<Settled>();
  useEffect(() => {
    if (!request || !authorizer) return;
    let current = true;
    void list(transfer, request.collectionId).then((state) => {
      if (current) setSettled({ request, authorizer, state });
    });
    return () => {
      current = false;
    };
  }, [transfer, request, authorizer]);
  if (!request) return { status: "idle" };
  const { collectionId } = request;
  if (error !== undefined) return { status: "failed", collectionId, error };
  // A result of an older request or older tokens is not shown, even for one render.
  if (settled?.request !== request || settled.authorizer !== authorizer)
    return { status: "loading", collectionId };
  return settled.state;
}
