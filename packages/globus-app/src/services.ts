/**
 * `globus-app/services`: the Globus service clients (`TransferClient` with its `TransferData` and
 * `DeleteData` builders, `GroupsClient` with `GroupsManager` and `BatchMembershipActions`,
 * `SearchClient` with `SearchQuery` and `SearchScrollQuery`, `FlowsClient` and `SpecificFlowClient`,
 * `TimersClient` with `TransferTimer` and its schedules, `ComputeClientV2` and `ComputeClientV3`,
 * paginators, typed documents and each
 * service's API error). The root entry
 * exports the same names; this subpath is for code that wants only them. Side-effect free: a
 * bundle keeps only the clients it uses.
 *
 * @packageDocumentation
 */
export * from "@globus-app/services";
