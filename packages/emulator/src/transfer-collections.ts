import { SAMPLE_IDENTITIES } from "./sample-data.ts";

/** A collection (or endpoint) the fake Transfer API knows. */
export interface SampleCollection {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** The owner's username. */
  readonly ownerString: string;
  readonly highAssurance: boolean;
  /** Transfer's `entity_type`. */
  readonly entityType: "GCSv5_mapped_collection" | "GCSv5_guest_collection";
  /** For a guest collection: the mapped collection it is on. */
  readonly hostEndpointId?: string | undefined;
  /** Always demands `data_access` consent under transfer:all (as a GCSv5 mapped collection does). */
  readonly requiresDataAccess?: boolean | undefined;
  /** Always demands a login with MFA (as a high-assurance collection whose policy says so). */
  readonly requiresMfa?: boolean | undefined;
  /** On an endpoint whose administrator paused writes and reads: tasks touching it stay paused. */
  readonly paused?: boolean | undefined;
  /** The access rule a guest collection starts with: `all_authenticated_users` may do this under `path`. */
  readonly publicAccess?: { readonly path: string; readonly permissions: "r" | "rw" } | undefined;
}

const [ADA, GRACE, ALAN] = SAMPLE_IDENTITIES;

/** The id of the sample GCSv5 mapped collection that demands `data_access` consent. */
export const MAPPED_COLLECTION_ID = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
/** The id of the sample high-assurance collection that always demands an MFA login. */
export const MFA_COLLECTION_ID = "7a8b9c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d";
/** The id of the sample collection on a paused endpoint. */
export const PAUSED_COLLECTION_ID = "c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f";

/**
 * The collections the fake Transfer API knows (`endpoint`, `endpoint_search`). Each has its own
 * in-memory file tree (see the emulator README); `ls`, `mkdir`, `rename`, `stat` and tasks also
 * work on any other UUID, which gets a fresh sample tree, so that tests may use real collection
 * ids (Transfer itself would answer `EndpointNotFound` there).
 *
 * - Tutorial Collection 1: a guest collection owned by ada@example.org that every signed-in user
 *   may read and write, like Globus's own tutorial collections (`all_authenticated_users`, `rw`, `/`).
 * - Tutorial Collection 2: a guest collection owned by grace@example.org that every signed-in user
 *   may read (`all_authenticated_users`, `r`, `/`): writes need a rule of their own.
 * - High Assurance Collection: a mapped collection with no requirement of its own; pair it with
 *   `control.requireMfa()`, `requirePolicies()` or `requireDataAccess()`.
 * - Mapped Collection: a GCSv5 mapped collection that demands `data_access` consent; the host of
 *   both guest collections.
 * - MFA Collection: a high-assurance mapped collection that demands an MFA login.
 * - Paused Collection: on an endpoint paused by its administrator: listings work, tasks that read
 *   or write it stay `ACTIVE` with `is_paused` until the pause is lifted (never, here).
 */
export const SAMPLE_COLLECTIONS: readonly SampleCollection[] = [
  {
    id: "f6cd964d-7ab7-44cf-8a05-777a55f598ee",
    displayName: "Emulator Tutorial Collection 1",
    description: "Sample guest collection of the Globus Auth emulator",
    ownerString: ADA.username,
    highAssurance: false,
    entityType: "GCSv5_guest_collection",
    hostEndpointId: MAPPED_COLLECTION_ID,
    publicAccess: { path: "/", permissions: "rw" },
  },
  {
    id: "2ddeacb8-1052-43eb-9863-d437ef0fa9c0",
    displayName: "Emulator Tutorial Collection 2",
    description: "Another sample guest collection",
    ownerString: GRACE.username,
    highAssurance: false,
    entityType: "GCSv5_guest_collection",
    hostEndpointId: MAPPED_COLLECTION_ID,
    publicAccess: { path: "/", permissions: "r" },
  },
  {
    id: "96348e9e-93dd-432f-93b9-b015d71f2fbb",
    displayName: "Emulator High Assurance Collection",
    description:
      "Sample mapped collection; pair it with control.requireMfa(), requirePolicies() or requireDataAccess()",
    ownerString: ALAN.username,
    highAssurance: true,
    entityType: "GCSv5_mapped_collection",
  },
  {
    id: MAPPED_COLLECTION_ID,
    displayName: "Emulator Mapped Collection",
    description: "Sample GCSv5 mapped collection: needs data_access consent",
    ownerString: ALAN.username,
    highAssurance: false,
    entityType: "GCSv5_mapped_collection",
    requiresDataAccess: true,
  },
  {
    id: MFA_COLLECTION_ID,
    displayName: "Emulator MFA Collection",
    description: "Sample high-assurance mapped collection: needs a login with MFA",
    ownerString: ALAN.username,
    highAssurance: true,
    entityType: "GCSv5_mapped_collection",
    requiresMfa: true,
  },
  {
    id: PAUSED_COLLECTION_ID,
    displayName: "Emulator Paused Collection",
    description: "Sample mapped collection on a paused endpoint: its tasks wait",
    ownerString: ALAN.username,
    highAssurance: false,
    entityType: "GCSv5_mapped_collection",
    paused: true,
  },
];

/** @internal The identity id of a sample owner's username. */
export function ownerIdOf(collection: SampleCollection): string {
  return SAMPLE_IDENTITIES.find((identity) => identity.username === collection.ownerString)?.id ?? ADA.id;
}
