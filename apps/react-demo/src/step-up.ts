import type { GlobusAuthorizationParameters } from "globus-app";

/**
 * What a sign-in must satisfy to meet a Globus Auth requirements error (GARE), in words for the
 * step-up notice: "a sign-in with multi-factor authentication", "your consent to more access".
 *
 * @example
 * ```ts
 * stepUpNeeds({ session_required_mfa: true }); // "a sign-in with multi-factor authentication"
 * ```
 */
export function stepUpNeeds(params: GlobusAuthorizationParameters): string {
  if (params.session_required_mfa) return "a sign-in with multi-factor authentication";
  const domains = params.session_required_single_domain ?? [];
  if (domains.length > 0) return `an identity from ${domains.join(" or ")}`;
  if (params.session_required_policies?.length) return "a sign-in that meets the collection's policies";
  if (params.required_scopes?.length) return "your consent to more access";
  return "another sign-in";
}

/**
 * A GARE's parameters for a step-up of someone signed in: unless the GARE names identities itself,
 * it asks Globus Auth for the signed-in one (`session_required_identities`), so its page offers
 * only that one and the app does not refuse the new tokens as another person's.
 *
 * @param identityId - the signed-in person's identity id (`useUser()?.sub`)
 * @example
 * ```ts
 * login({ authParams: stepUpParams(gare.authorization_parameters, user.sub) });
 * ```
 */
export function stepUpParams(
  params: GlobusAuthorizationParameters,
  identityId: string,
): GlobusAuthorizationParameters {
  if ((params.session_required_identities?.length ?? 0) > 0) return params;
  return { ...params, session_required_identities: [identityId] };
}
