import type { GlobusAuthorizationParameters } from "globus-app";

/**
 * What a sign-in must satisfy to meet a Globus Auth requirements error, in words: "a sign-in with
 * multi-factor authentication", "your consent to …". Empty when the GARE asks for nothing we can name.
 */
export function gareNeeds(params: GlobusAuthorizationParameters, consentTo?: string): string[] {
  const needs: string[] = [];
  if (params.session_required_mfa) needs.push("a sign-in with multi-factor authentication");
  if (params.session_required_single_domain?.length)
    needs.push(`an identity from ${params.session_required_single_domain.join(" or ")}`);
  if (params.session_required_policies?.length) needs.push("a sign-in that meets the collection's policies");
  if (params.required_scopes?.length && needs.length === 0) {
    // A required scope with a data_access dependency is the consent a GCSv5 mapped collection asks for.
    const dataAccess = params.required_scopes.some((scope) => scope.includes("data_access"));
    needs.push(
      dataAccess && consentTo
        ? `your consent to let this portal reach the files of ${consentTo}`
        : "your consent to more access",
    );
  }
  return needs;
}
