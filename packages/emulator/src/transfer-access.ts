import type { RequestContext } from "./request-context.ts";
import { dataAccessScope, TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { denied } from "./transfer-answers.ts";
import type { TransferStore } from "./transfer-store.ts";

/** @internal A 403 carrying a GARE: what a login must add before the collection answers. */
export class GareFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Transfer's checks of the caller's login for a collection: MFA, then policies, then `data_access`
 * consent, from the collection's own nature and from `control.require…()`.
 */
function checkLogin(ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore, id: string): void {
  const requirement = ctx.state.requirements.get(id);
  const collection = store.collection(id);
  const mfa = requirement?.mfa === true || collection?.requiresMfa === true;
  const dataAccess = requirement?.dataAccess === true || collection?.requiresDataAccess === true;
  const requiredScopes = [dataAccess ? `${TRANSFER_ALL_SCOPE}[*${dataAccessScope(id)}]` : TRANSFER_ALL_SCOPE];
  const authorizationRequired = (message: string, parameters: Record<string, unknown>): GareFault =>
    new GareFault("AuthorizationRequired", message, {
      authorization_parameters: { session_message: message, ...parameters },
    });
  if (mfa && !caller.mfa) {
    throw authorizationRequired(`Collection ${id} requires a multi-factor authentication session`, {
      session_required_mfa: true,
      required_scopes: requiredScopes,
    });
  }
  // Only the unmet policies: the ones already satisfied need no new login.
  const missingPolicies = requirement?.policies.filter((policy) => !caller.policies.includes(policy)) ?? [];
  if (missingPolicies.length > 0) {
    throw authorizationRequired(
      `Collection ${id} requires a session satisfying the authentication policies ${missingPolicies.join(", ")}`,
      { session_required_policies: missingPolicies, required_scopes: requiredScopes },
    );
  }
  if (
    dataAccess &&
    !ctx.state.hasConsentedDependency(
      caller.subject,
      caller.clientId,
      TRANSFER_ALL_SCOPE,
      dataAccessScope(id),
    )
  ) {
    const message = `Missing required data_access consent for collection ${id}`;
    throw new GareFault("ConsentRequired", message, {
      required_scopes: requiredScopes,
      authorization_parameters: { session_message: message, required_scopes: requiredScopes },
    });
  }
}

/** @internal The login checks, then the caller's permission at `path` (guest collections' access rules). */
export function checkAccess(
  ctx: RequestContext,
  caller: AccessTokenRecord,
  store: TransferStore,
  id: string,
  path: string,
  need: "r" | "rw",
): void {
  checkLogin(ctx, caller, store, id);
  const granted = store.permissionsAt(id, caller.subject, path);
  if (granted === "" || (need === "rw" && granted !== "rw")) {
    throw denied(`No ${need === "rw" ? "write" : "read"} permission on '${path}' of collection ${id}`);
  }
}
