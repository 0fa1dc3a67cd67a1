/** What a redirect login keeps in sessionStorage while the person is at Globus Auth. */
export interface PendingLogin {
  v: 1;
  clientId: string;
  state: string;
  codeVerifier: string | null;
  redirectUri: string;
  returnUrl: string;
  createdAt: number;
}

const STRING_KEYS = ["clientId", "state", "redirectUri", "returnUrl"] as const;

/**
 * Checks a pending login read back from sessionStorage (parsed JSON): every field of the current
 * version present with its type, unknown keys dropped. Undefined when it is not one, so the callback
 * is refused. By hand rather than with valibot: it runs on the page load of every callback, and a
 * property test holds it equal to the valibot schema it replaced.
 */
export function parsePendingLogin(value: unknown): PendingLogin | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (entry.v !== 1) return undefined;
  if (!STRING_KEYS.every((key) => typeof entry[key] === "string")) return undefined;
  if (entry.codeVerifier !== null && typeof entry.codeVerifier !== "string") return undefined;
  if (typeof entry.createdAt !== "number" || Number.isNaN(entry.createdAt)) return undefined;
  const { clientId, state, codeVerifier, redirectUri, returnUrl, createdAt } =
    entry as unknown as PendingLogin;
  return { v: 1, clientId, state, codeVerifier, redirectUri, returnUrl, createdAt };
}
