import type { GARE } from "globus-app";
import type { ReactNode } from "react";
import { stepUpNeeds } from "./step-up.ts";

/** The props of {@link StepUpNotice}. */
export interface StepUpNoticeProps {
  /** The Globus Auth requirements error the collection answered with. */
  gare: GARE;
  /** The collection that asked, as people know it. */
  collection: string;
  /** Signs in again with the GARE's parameters, by redirect or in a popup. */
  stepUp: (via: "redirect" | "popup") => void;
  /** True while that sign-in runs: the buttons are disabled. */
  steppingUp: boolean;
}

/**
 * Says why a collection refused the listing (Globus's own `session_message` first, then what the
 * sign-in must satisfy) and offers the sign-in that satisfies it.
 *
 * @example
 * ```tsx
 * <StepUpNotice gare={gare} collection="My collection" steppingUp={pending} stepUp={(via) => …} />
 * ```
 */
export function StepUpNotice({ gare, collection, stepUp, steppingUp }: StepUpNoticeProps): ReactNode {
  const params = gare.authorization_parameters;
  return (
    <section className="notice" aria-labelledby="step-up-heading">
      <h3 id="step-up-heading">Globus needs more before it lets you in</h3>
      <p>{params.session_message ?? `${collection} asks for more.`}</p>
      <p>It needs {stepUpNeeds(params)}. Sign in again, and the listing is retried.</p>
      <div className="actions">
        <button type="button" disabled={steppingUp} onClick={() => stepUp("redirect")}>
          Continue with Globus
        </button>
        <button type="button" className="secondary" disabled={steppingUp} onClick={() => stepUp("popup")}>
          Continue in a popup
        </button>
      </div>
    </section>
  );
}
