import { describe, expect, it } from "vitest";
import { dataAccessScope, describeScope, resourceServerForScope } from "./scope-registry.ts";
import {
  mergeScopeNodes,
  parseScopeTree,
  ScopeSyntaxError,
  serializeScopeTree,
  walkScopeTree,
} from "./scope-tree.ts";

const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";

describe("parseScopeTree", () => {
  it("parses scopes, optional markers and nested dependencies", () => {
    expect(parseScopeTree("a[b *c[d]]")).toEqual([
      {
        scope: "a",
        optional: false,
        dependencies: [
          { scope: "b", optional: false, dependencies: [] },
          { scope: "c", optional: true, dependencies: [{ scope: "d", optional: false, dependencies: [] }] },
        ],
      },
    ]);
  });

  it("treats any whitespace as a separator and ignores extra spaces", () => {
    expect(serializeScopeTree(parseScopeTree("  openid\tprofile\n  email  foo[ bar   *baz  ] "))).toBe(
      "openid profile email foo[bar *baz]",
    );
    expect(parseScopeTree("")).toEqual([]);
    expect(parseScopeTree("   ")).toEqual([]);
  });

  it("merges repeated scopes; a required occurrence wins over an optional one", () => {
    expect(serializeScopeTree(parseScopeTree("a[b] a[c] *x x"))).toBe("a[b c] x");
    expect(serializeScopeTree(parseScopeTree("foo[bar *bar]"))).toBe("foo[bar]");
    expect(serializeScopeTree(mergeScopeNodes(parseScopeTree("*a *a")))).toBe("*a");
  });

  it("round-trips through serializeScopeTree", () => {
    const input = `openid ${TRANSFER}[*${dataAccessScope("c0ffee")}] x[y[z *w]]`;
    expect(serializeScopeTree(parseScopeTree(input))).toBe(input);
  });

  it.each([
    ["foo [bar]"],
    ["[foo]"],
    ["foo[]"],
    ["foo[bar]baz"],
    ["foo[bar][baz]"],
    ["foo]"],
    ["foo[bar"],
    ["foo[[bar]]"],
    ["* foo"],
    ["foo *"],
    ["*[foo]"],
    ["**foo"],
    ["foo*bar"],
    ["foo[foo]"],
    ["a[b[c[a]]]"],
  ])("rejects %j", (input) => {
    expect(() => parseScopeTree(input)).toThrow(ScopeSyntaxError);
  });

  it("rejects absurd nesting and sizes without blowing the stack", () => {
    expect(() => parseScopeTree(`${"a[".repeat(10_000)}b${"]".repeat(10_000)}`)).toThrow(ScopeSyntaxError);
    expect(() => parseScopeTree(Array.from({ length: 5000 }, (_, i) => `s${i}`).join(" "))).toThrow(
      ScopeSyntaxError,
    );
    expect(() => parseScopeTree("x".repeat(5000))).toThrow(ScopeSyntaxError);
  });

  it("walks every node with its path", () => {
    const paths: string[] = [];
    walkScopeTree(parseScopeTree("a[b[c]] d"), (_node, path) => paths.push(path.join(">")));
    expect(paths).toEqual(["a", "a>b", "a>b>c", "d"]);
  });
});

describe("resourceServerForScope", () => {
  it.each([
    ["openid", "auth.globus.org"],
    ["profile", "auth.globus.org"],
    ["email", "auth.globus.org"],
    ["urn:globus:auth:scope:auth.globus.org:view_identities", "auth.globus.org"],
    [TRANSFER, "transfer.api.globus.org"],
    ["urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships", "groups.api.globus.org"],
    ["https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_manage", "flows.globus.org"],
    ["https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all", "funcx_service"],
    [
      "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer",
      "524230d7-ea86-4a52-8312-86065a9e0417",
    ],
    [
      "https://auth.globus.org/scopes/a1b2c3d4-0000-4000-8000-000000000000/flow_a1b2c3d4_0000_4000_8000_000000000000_user",
      "a1b2c3d4-0000-4000-8000-000000000000",
    ],
    [dataAccessScope("c0ffee00-0000-4000-8000-000000000000"), "c0ffee00-0000-4000-8000-000000000000"],
    ["https://auth.globus.org/scopes/actions.globus.org/transfer/transfer", "actions.globus.org"],
  ])("%s → %s", (scope, resourceServer) => {
    expect(resourceServerForScope(scope)).toBe(resourceServer);
  });

  it.each([
    ["offline_access"],
    ["urn:globus:auth:scope:transfer.api.globus.org"],
    ["urn:globus:auth:scope::all"],
    ["https://auth.globus.org/scopes/x"],
    ["https://auth.globus.org/scopes//all"],
    ["https://example.org/scopes/x/all"],
    ["open id"],
    ["ünïcode"],
  ])("does not know %j", (scope) => {
    expect(resourceServerForScope(scope)).toBeUndefined();
  });

  it("describes well-known scopes for the consent page", () => {
    expect(describeScope("openid")).toMatch(/who you are/);
    expect(describeScope(dataAccessScope("abc"))).toContain("abc");
    expect(describeScope("urn:globus:auth:scope:example.org:x")).toBeUndefined();
  });
});
