import { describe, expect, it } from "vitest";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { Scope } from "./scope.ts";
import {
  collectionDataAccessScope,
  flowUserWithTransferDataAccess,
  gcsCollectionScopes,
  gcsEndpointScopes,
  specificFlowScopes,
  timerWithFlowUser,
  timerWithTransferDataAccess,
  transferWithDataAccess,
} from "./scope-builders.ts";
import {
  AuthScopes,
  ComputeScopes,
  defineScopeCollection,
  FlowsScopes,
  GroupsScopes,
  SearchScopes,
  TimersScopes,
  TransferScopes,
  urlScope,
  urnScope,
} from "./scope-collections.ts";
import { ScopeParser } from "./scope-parser.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const COLL_A = "542a86fc-1766-450d-841f-065488a2ec01";
const COLL_B = "00000000-0000-0000-0000-000000000001";
const FLOW = "00000000-ec3c-427d-bfb5-51049530122b";
const FLOW_USER =
  "https://auth.globus.org/scopes/00000000-ec3c-427d-bfb5-51049530122b/flow_00000000_ec3c_427d_bfb5_51049530122b_user";
const TIMER = "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer";
const da = (id: string) => `https://auth.globus.org/scopes/${id}/data_access`;

describe("scope builders", () => {
  it("build URN and URL scopes", () => {
    expect(String(urnScope("example.globus.org", "myscope"))).toBe(
      "urn:globus:auth:scope:example.globus.org:myscope",
    );
    expect(String(urlScope("00000000-0000-0000-0000-000000000000", "data_access"))).toBe(
      "https://auth.globus.org/scopes/00000000-0000-0000-0000-000000000000/data_access",
    );
    expect(urnScope("a", "b")).toBeInstanceOf(Scope);
    expect(() => urnScope("bad rs", "x")).toThrow(GlobusSDKUsageError);
  });
});

describe("static collections (WIRE.md / Python §6.4 strings)", () => {
  it("Auth", () => {
    expect(AuthScopes.resourceServer).toBe("auth.globus.org");
    expect(String(AuthScopes.openid)).toBe("openid");
    expect(String(AuthScopes.profile)).toBe("profile");
    expect(String(AuthScopes.email)).toBe("email");
    expect(ScopeParser.serialize([AuthScopes.openid, AuthScopes.profile, AuthScopes.email])).toBe(
      "openid profile email",
    );
    for (const name of [
      "manage_projects",
      "view_authentications",
      "view_clients",
      "view_clients_and_scopes",
      "view_consents",
      "view_identities",
      "view_identity_set",
    ] as const) {
      expect(String(AuthScopes[name])).toBe(`urn:globus:auth:scope:auth.globus.org:${name}`);
    }
  });

  it("Transfer, Groups, Search", () => {
    expect(TransferScopes.resourceServer).toBe("transfer.api.globus.org");
    expect(String(TransferScopes.all)).toBe(TRANSFER_ALL);
    expect(String(TransferScopes.gcp_install)).toBe(
      "urn:globus:auth:scope:transfer.api.globus.org:gcp_install",
    );
    expect(GroupsScopes.resourceServer).toBe("groups.api.globus.org");
    expect(String(GroupsScopes.all)).toBe("urn:globus:auth:scope:groups.api.globus.org:all");
    expect(String(GroupsScopes.view_my_groups_and_memberships)).toBe(
      "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
    );
    expect(SearchScopes.resourceServer).toBe("search.api.globus.org");
    expect(String(SearchScopes.all)).toBe("urn:globus:auth:scope:search.api.globus.org:all");
    expect(String(SearchScopes.search)).toBe("urn:globus:auth:scope:search.api.globus.org:search");
    expect(String(SearchScopes.ingest)).toBe("urn:globus:auth:scope:search.api.globus.org:ingest");
    expect(String(SearchScopes.globus_connect_server)).toBe(
      "urn:globus:auth:scope:search.api.globus.org:globus_connect_server",
    );
  });

  it("Timers, Flows, Compute", () => {
    expect(TimersScopes.resourceServer).toBe("524230d7-ea86-4a52-8312-86065a9e0417");
    expect(String(TimersScopes.timer)).toBe(TIMER);
    expect(FlowsScopes.resourceServer).toBe("flows.globus.org");
    expect(FlowsScopes.clientId).toBe("eec9b274-0c81-4334-bdc2-54e90e689b9a");
    for (const name of ["all", "manage_flows", "view_flows", "run", "run_status", "run_manage"] as const) {
      expect(String(FlowsScopes[name])).toBe(
        `https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/${name}`,
      );
    }
    expect(ComputeScopes.resourceServer).toBe("funcx_service");
    expect(String(ComputeScopes.all)).toBe(
      "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all",
    );
  });

  it("are frozen, and iterate over their Scope members only, in definition order", () => {
    expect(Object.isFrozen(TransferScopes)).toBe(true);
    expect([...TransferScopes].map(String)).toEqual([
      TRANSFER_ALL,
      "urn:globus:auth:scope:transfer.api.globus.org:gcp_install",
    ]);
    expect([...FlowsScopes]).toHaveLength(6);
    expect([...AuthScopes].slice(0, 3).map(String)).toEqual(["openid", "profile", "email"]);
    for (const s of ComputeScopes) expect(s).toBeInstanceOf(Scope);
    expect(Object.keys(TimersScopes)).toEqual(["timer", "resourceServer"]);
  });

  it("members are usable as dependencies and in parse/merge", () => {
    const s = TransferScopes.all.withDependency(collectionDataAccessScope(COLL_A).withOptional(true));
    expect(String(s)).toBe(`${TRANSFER_ALL}[*${da(COLL_A)}]`);
    expect(ScopeParser.merge([TransferScopes.all], [s]).map(String)).toEqual([
      `${TRANSFER_ALL}[*${da(COLL_A)}]`,
    ]);
  });

  it("defineScopeCollection makes custom collections", () => {
    const Mine = defineScopeCollection("my-rs.example.org", {
      read: urnScope("my-rs.example.org", "read"),
      write: urlScope("my-rs.example.org", "write"),
    });
    expect(Mine.resourceServer).toBe("my-rs.example.org");
    expect([...Mine].map(String)).toEqual([
      "urn:globus:auth:scope:my-rs.example.org:read",
      "https://auth.globus.org/scopes/my-rs.example.org/write",
    ]);
  });
});

describe("dynamic collections", () => {
  it("collectionDataAccessScope / gcsCollectionScopes / gcsEndpointScopes", () => {
    expect(String(collectionDataAccessScope(COLL_A))).toBe(da(COLL_A));
    expect(collectionDataAccessScope(COLL_A).optional).toBe(false);
    const coll = gcsCollectionScopes(COLL_A);
    expect(coll.resourceServer).toBe(COLL_A);
    expect(String(coll.data_access)).toBe(da(COLL_A));
    expect(String(coll.https)).toBe(`https://auth.globus.org/scopes/${COLL_A}/https`);
    expect([...coll]).toHaveLength(2);
    const ep = gcsEndpointScopes(COLL_B);
    expect(ep.resourceServer).toBe(COLL_B);
    expect(String(ep.manage_collections)).toBe(`urn:globus:auth:scope:${COLL_B}:manage_collections`);
  });

  it("specificFlowScopes", () => {
    const flow = specificFlowScopes(FLOW);
    expect(flow.resourceServer).toBe(FLOW);
    expect(String(flow.user)).toBe(FLOW_USER);
    expect([...flow].map(String)).toEqual([FLOW_USER]);
  });
});

describe("dependent-scope helpers (Python client helpers' shapes)", () => {
  it("transferWithDataAccess: one id, a list, a generator", () => {
    expect(String(transferWithDataAccess(COLL_A))).toBe(`${TRANSFER_ALL}[*${da(COLL_A)}]`);
    expect(String(transferWithDataAccess([COLL_A, COLL_B]))).toBe(
      `${TRANSFER_ALL}[*${da(COLL_A)} *${da(COLL_B)}]`,
    );
    function* ids() {
      yield COLL_B;
      yield COLL_A;
    }
    expect(String(transferWithDataAccess(ids()))).toBe(`${TRANSFER_ALL}[*${da(COLL_B)} *${da(COLL_A)}]`);
    const s = transferWithDataAccess([COLL_A]);
    expect(s.optional).toBe(false);
    expect(s.dependencies[0]?.optional).toBe(true);
    expect(String(transferWithDataAccess([]))).toBe(TRANSFER_ALL);
  });

  it("timerWithTransferDataAccess", () => {
    expect(String(timerWithTransferDataAccess(COLL_A))).toBe(`${TIMER}[${TRANSFER_ALL}[*${da(COLL_A)}]]`);
    expect(String(timerWithTransferDataAccess([COLL_A, COLL_B]))).toBe(
      `${TIMER}[${TRANSFER_ALL}[*${da(COLL_A)} *${da(COLL_B)}]]`,
    );
  });

  it("timerWithFlowUser", () => {
    expect(String(timerWithFlowUser(FLOW))).toBe(`${TIMER}[${FLOW_USER}]`);
    const other = "11111111-2222-3333-4444-555555555555";
    expect(String(timerWithFlowUser([FLOW, other]))).toBe(
      `${TIMER}[${FLOW_USER} ${specificFlowScopes(other).user}]`,
    );
  });

  it("flowUserWithTransferDataAccess", () => {
    expect(String(flowUserWithTransferDataAccess(FLOW, COLL_A))).toBe(
      `${FLOW_USER}[*${TRANSFER_ALL}[*${da(COLL_A)}]]`,
    );
    expect(String(flowUserWithTransferDataAccess(FLOW, [COLL_A, COLL_B]))).toBe(
      `${FLOW_USER}[*${TRANSFER_ALL}[*${da(COLL_A)} *${da(COLL_B)}]]`,
    );
  });

  it("results parse back to equal scopes", () => {
    const s = flowUserWithTransferDataAccess(FLOW, [COLL_A, COLL_B]);
    expect(ScopeParser.parse(String(s))[0]?.equals(s)).toBe(true);
  });
});

describe("UUID validation (Python's messages)", () => {
  it.each([
    [() => transferWithDataAccess("foo"), "'collection_ids' must be a valid UUID (value='foo')"],
    [() => transferWithDataAccess([COLL_A, "foo"]), "'collection_ids[1]' must be a valid UUID (value='foo')"],
    [() => transferWithDataAccess(["bar"]), "'collection_ids[0]' must be a valid UUID (value='bar')"],
    [() => timerWithTransferDataAccess("foo"), "'collection_ids' must be a valid UUID (value='foo')"],
    [() => timerWithFlowUser("foo"), "'flow_ids' must be a valid UUID (value='foo')"],
    [() => timerWithFlowUser([FLOW, "x"]), "'flow_ids[1]' must be a valid UUID (value='x')"],
    [() => flowUserWithTransferDataAccess("nope", COLL_A), "'flow_id' must be a valid UUID (value='nope')"],
    [
      () => flowUserWithTransferDataAccess(FLOW, [COLL_A, "x"]),
      "'collection_ids[1]' must be a valid UUID (value='x')",
    ],
    [() => collectionDataAccessScope("foo"), "'collection_id' must be a valid UUID (value='foo')"],
    [() => gcsCollectionScopes("foo"), "'collection_id' must be a valid UUID (value='foo')"],
    [() => gcsEndpointScopes("foo"), "'endpoint_id' must be a valid UUID (value='foo')"],
    [() => specificFlowScopes("foo"), "'flow_id' must be a valid UUID (value='foo')"],
    [() => specificFlowScopes(`${FLOW} `), `'flow_id' must be a valid UUID (value='${FLOW} ')`],
    [
      () => transferWithDataAccess([7] as unknown as string[]),
      "'collection_ids[0]' must be a UUID string (value='7')",
    ],
    [
      () => transferWithDataAccess(7 as unknown as string),
      "'collection_ids' must be a UUID string (value='7')",
    ],
  ])("%#: %s", (fn, message) => {
    expect(fn).toThrow(GlobusSDKUsageError);
    expect(fn).toThrow(message);
  });

  it("accepts upper-case UUIDs verbatim", () => {
    const upper = COLL_A.toUpperCase();
    expect(String(collectionDataAccessScope(upper))).toBe(da(upper));
  });
});
