import * as v from "valibot";
import type { CrossTabMessageType } from "./cross-tab-channel.ts";

const MESSAGE_TYPES: readonly string[] = ["login", "logout", "tokensChanged", "identityChanged"];

// `check`s rather than picklist/maxLength/minLength: one valibot action for every refinement of the
// browser bundle (see core's `finiteNumber`).
const shortString = v.pipe(
  v.string(),
  v.check((value) => value.length <= 512),
);

/**
 * Valibot schema of an incoming `CrossTabMessage`. Unknown keys are dropped; anything else (wrong
 * types, oversize arrays or strings) makes the message invalid. The channel itself checks messages
 * with `parseCrossTabMessage`, which accepts exactly what this schema accepts (a property test holds
 * them equal) without putting valibot on the page-load path; the schema is for callers who compose
 * it into their own.
 */
export const CrossTabMessageSchema = v.object({
  type: v.pipe(
    v.string(),
    v.check((type) => MESSAGE_TYPES.includes(type)),
    v.transform((type) => type as CrossTabMessageType),
  ),
  resourceServers: v.optional(
    v.pipe(
      v.array(shortString),
      v.check((list) => list.length <= 1000),
    ),
  ),
  identityId: v.optional(v.nullable(shortString)),
  senderId: v.pipe(
    shortString,
    v.check((id) => id.length > 0),
  ),
});
