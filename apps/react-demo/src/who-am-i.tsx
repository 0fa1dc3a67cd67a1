import type { GlobusUser } from "globus-app";
import type { ReactNode } from "react";

/** The props of {@link WhoAmI}. */
export interface WhoAmIProps {
  /** The signed-in person (`useUser()`). */
  user: GlobusUser;
  /** Logs out; the button is disabled while `loggingOut`. */
  onLogOut: () => void;
  loggingOut: boolean;
}

const shown = (value: string | undefined): string => value || "—";

/**
 * Who is signed in: the id_token's claims the app keeps beside the tokens (`useUser()`), so a
 * reload asks Globus nothing. With the log-out button.
 *
 * @example
 * ```tsx
 * const user = useUser();
 * const { logout, pending } = useLogout();
 * if (user) return <WhoAmI user={user} onLogOut={() => void logout()} loggingOut={pending} />;
 * ```
 */
export function WhoAmI({ user, onLogOut, loggingOut }: WhoAmIProps): ReactNode {
  return (
    <section className="card" aria-labelledby="identity-heading">
      <div className="card-head">
        <h1 id="identity-heading">Signed in</h1>
        <button
          type="button"
          className="secondary"
          disabled={loggingOut}
          aria-busy={loggingOut}
          onClick={onLogOut}
        >
          Log out
        </button>
      </div>
      <dl className="facts">
        <dt>Name</dt>
        <dd id="user-name">{shown(user.name)}</dd>
        <dt>Username</dt>
        <dd id="user-username">{shown(user.preferred_username)}</dd>
        <dt>Identity provider</dt>
        <dd id="user-idp">{shown(user.identity_provider_display_name)}</dd>
        <dt>Identity id</dt>
        <dd>
          <code id="user-id">{user.sub}</code>
        </dd>
      </dl>
    </section>
  );
}
