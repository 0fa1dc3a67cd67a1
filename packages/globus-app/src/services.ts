/**
 * `globus-app/services`: the Globus service clients (`TransferClient` with its `TransferData` and
 * `DeleteData` builders, `GroupsClient` with `GroupsManager` and `BatchMembershipActions`,
 * `SearchClient` with `SearchQuery` and `SearchScrollQuery`, paginators, typed documents and each
 * service's API error). The root entry
 * exports the same names; this subpath is for code that wants only them. Side-effect free: a
 * bundle keeps only the clients it uses.
 *
 * @packageDocumentation
 */
export * from "@globus-app/services";
