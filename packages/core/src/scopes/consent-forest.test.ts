import { describe, expect, it } from "vitest";
import { type Consent, parseConsent } from "./consent.ts";
import { ConsentForest, ConsentTree } from "./consent-forest.ts";
import {
  ConsentParseError,
  ConsentTreeConstructionError,
  isConsentParseError,
  isConsentTreeConstructionError,
} from "./consent-parse-error.ts";
import { Scope } from "./scope.ts";
import { transferWithDataAccess } from "./scope-builders.ts";
import { TransferScopes } from "./scope-collections.ts";
import { ScopeParseError } from "./scope-parse-error.ts";

const IDENTITY = "8ca28797-3541-4a5d-a264-05b00f91e608";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const COLL = "542a86fc-1766-450d-841f-065488a2ec01";
const DATA_ACCESS = `https://auth.globus.org/scopes/${COLL}/data_access`;

/** The shape Auth returns from GET /v2/api/identities/<id>/consents (the Python SDK's fixture). */
const getConsentsBody = {
  consents: [
    {
      created: "2022-09-21T17:10:14.270581+00:00",
      id: 142632,
      status: "approved",
      updated: "2022-09-21T17:10:14.270581+00:00",
      allows_refresh: true,
      dependency_path: [142632],
      scope_name: TRANSFER_ALL,
      atomically_revocable: false,
      effective_identity: IDENTITY,
      auto_approved: false,
      last_used: "2024-03-18T17:34:04.719126+00:00",
      scope: "89ecabba-4acf-4e2e-a98d-ce592ccc2818",
      client: "065db752-2f43-4fe1-a633-2ee68c9da889",
    },
    {
      created: "2024-03-18T17:32:51.496893+00:00",
      id: 433892,
      status: "approved",
      updated: "2024-03-18T17:32:51.496893+00:00",
      allows_refresh: true,
      dependency_path: [142632, 433892],
      scope_name: DATA_ACCESS,
      atomically_revocable: true,
      effective_identity: IDENTITY,
      auto_approved: false,
      last_used: "2024-03-18T17:33:05.178254+00:00",
      scope: "fe334c19-4fe6-4d03-ac73-8992beb231b6",
      client: "2fbdda78-a599-4cb5-ac3d-1fbcfbc6a754",
    },
  ],
};

let nextId = 1000;
function consent(scopeName: string, parent?: Consent, overrides: Partial<Consent> = {}): Consent {
  const id = overrides.id ?? nextId++;
  return parseConsent({
    id,
    client: "065db752-2f43-4fe1-a633-2ee68c9da889",
    scope: "89ecabba-4acf-4e2e-a98d-ce592ccc2818",
    scope_name: scopeName,
    effective_identity: IDENTITY,
    dependency_path: [...(parent?.dependency_path ?? []), id],
    created: "2024-01-01T00:00:00+00:00",
    updated: "2024-01-01T00:00:00+00:00",
    last_used: "2024-01-02T00:00:00+00:00",
    status: "approved",
    allows_refresh: true,
    auto_approved: false,
    atomically_revocable: false,
    ...overrides,
  });
}

describe("parseConsent", () => {
  it("returns a frozen consent with only the known keys", () => {
    const c = parseConsent({ ...getConsentsBody.consents[0], unknown_key: 1 });
    expect(c.id).toBe(142632);
    expect(c.scope_name).toBe(TRANSFER_ALL);
    expect(c.dependency_path).toEqual([142632]);
    expect("unknown_key" in c).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.dependency_path)).toBe(true);
  });

  it("accepts a null last_used", () => {
    expect(parseConsent({ ...getConsentsBody.consents[0], last_used: null }).last_used).toBeNull();
  });

  it.each(Object.keys(getConsentsBody.consents[0] as object))("reports a missing '%s'", (key) => {
    const raw: Record<string, unknown> = { ...getConsentsBody.consents[0] };
    delete raw[key];
    expect(() => parseConsent(raw)).toThrow(ConsentParseError);
    expect(() => parseConsent(raw)).toThrow(`Failed to load Consent object. Missing required key: '${key}'.`);
  });

  it.each([
    ["id", "142632"],
    ["id", 1.5],
    ["dependency_path", ["a"]],
    ["dependency_path", 1],
    ["scope_name", 5],
    ["allows_refresh", "yes"],
    ["created", null],
  ])("reports a wrong type for '%s' (%j)", (key, value) => {
    const raw = { ...getConsentsBody.consents[0], [key]: value };
    expect(() => parseConsent(raw)).toThrow(`Invalid value for key '${key}'`);
    try {
      parseConsent(raw);
    } catch (e) {
      expect(isConsentParseError(e)).toBe(true);
      expect((e as ConsentParseError).code).toBe("GLOBUS_ERROR");
      expect((e as ConsentParseError).rawConsent).toBe(raw);
    }
  });

  it.each([[null], [5], ["x"], [[]]])("rejects a non-object consent %j", (raw) => {
    expect(() => parseConsent(raw)).toThrow(ConsentParseError);
  });
});

describe("ConsentForest.fromConsentsResponse", () => {
  it("builds the Python SDK's get_consents fixture: 2 nodes, 1 tree, depth 2", () => {
    const forest = ConsentForest.fromConsentsResponse(getConsentsBody);
    expect(forest.nodes).toHaveLength(2);
    expect(forest.trees).toHaveLength(1);
    const tree = forest.trees[0] as ConsentTree;
    expect(tree.maxDepth).toBe(2);
    expect(tree.root.scope_name).toBe(TRANSFER_ALL);
    const children = [...(tree.edges.get(tree.root.id) ?? [])].map((id) => tree.getNode(id));
    expect(children).toHaveLength(1);
    expect(children[0]?.scope_name.endsWith("data_access")).toBe(true);
    expect(forest.getNode(433892)?.atomically_revocable).toBe(true);
    expect(forest.getNode(1)).toBeUndefined();
  });

  it("answers scope requirements for dependent consents", () => {
    const forest = ConsentForest.fromConsentsResponse(getConsentsBody);
    expect(forest.meetsScopeRequirements(TRANSFER_ALL)).toBe(true);
    expect(forest.meetsScopeRequirements(TransferScopes.all)).toBe(true);
    expect(forest.meetsScopeRequirements(transferWithDataAccess(COLL))).toBe(true);
    expect(forest.meetsScopeRequirements(`${TRANSFER_ALL}[${DATA_ACCESS}]`)).toBe(true);
    expect(forest.meetsScopeRequirements([`${TRANSFER_ALL}[*${DATA_ACCESS}]`])).toBe(true);
    expect(
      forest.meetsScopeRequirements(transferWithDataAccess("00000000-0000-0000-0000-000000000001")),
    ).toBe(false);
    expect(forest.meetsScopeRequirements(DATA_ACCESS)).toBe(false);
    expect(forest.meetsScopeRequirements(`${TRANSFER_ALL} openid`)).toBe(false);
    expect(forest.meetsScopeRequirements("")).toBe(true);
    expect(forest.meetsScopeRequirements([])).toBe(true);
  });

  it("accepts an empty consents list", () => {
    const forest = ConsentForest.fromConsentsResponse({ consents: [] });
    expect(forest.trees).toEqual([]);
    expect(forest.meetsScopeRequirements("openid")).toBe(false);
  });

  it.each([[null], [[]], ["x"], [{}], [{ consents: "no" }], [{ consents: {} }], [[{ consents: [] }]]])(
    "rejects the body %j",
    (body) => {
      expect(() => ConsentForest.fromConsentsResponse(body)).toThrow(ConsentParseError);
      expect(() => ConsentForest.fromConsentsResponse(body)).toThrow("'consents' array");
    },
  );

  it("rejects a malformed consent inside the body", () => {
    const body = { consents: [getConsentsBody.consents[0], { id: 3 }] };
    expect(() => ConsentForest.fromConsentsResponse(body)).toThrow("Missing required key: 'client'");
  });

  it("rejects a missing intermediate consent like the Python SDK", () => {
    const body = {
      consents: [
        getConsentsBody.consents[0],
        { ...getConsentsBody.consents[1], dependency_path: [142632, 7, 433892] },
      ],
    };
    expect(() => ConsentForest.fromConsentsResponse(body)).toThrow(ConsentTreeConstructionError);
    expect(() => ConsentForest.fromConsentsResponse(body)).toThrow("Missing parent node: 7");
  });
});

describe("ConsentForest / ConsentTree (Python test_consents cases)", () => {
  it("builds a chain A -> B -> C", () => {
    const root = consent("A");
    const node1 = consent("B", root);
    const node2 = consent("C", node1);
    const forest = new ConsentForest([root, node1, node2]);
    expect(forest.trees).toHaveLength(1);
    const tree = forest.trees[0] as ConsentTree;
    expect(tree.root).toBe(root);
    expect(tree.maxDepth).toBe(3);
    expect([...(tree.edges.get(root.id) ?? [])]).toEqual([node1.id]);
    expect([...(tree.edges.get(node1.id) ?? [])]).toEqual([node2.id]);
    expect([...(tree.edges.get(node2.id) ?? [])]).toEqual([]);
    expect(tree.getNode(root.id)).toBe(root);
    expect(tree.getNode(node1.id)).toBe(node1);
    expect(tree.getNode(node2.id)).toBe(node2);
    expect(tree.nodes).toEqual([root, node1, node2]);

    expect(forest.meetsScopeRequirements("A")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B[C]]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B]")).toBe(true);
    expect(forest.meetsScopeRequirements("B")).toBe(false);
    expect(forest.meetsScopeRequirements("A[C]")).toBe(false);
    expect(forest.meetsScopeRequirements("A[B[C[D]]]")).toBe(false);
  });

  it("handles sibling dependent consents", () => {
    const root = consent("A");
    const forest = new ConsentForest([root, consent("B", root), consent("C", root)]);
    expect(forest.meetsScopeRequirements("A")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[C]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B C]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B[C]]")).toBe(false);
    expect(forest.meetsScopeRequirements("A[C[B]]")).toBe(false);
    expect(forest.trees[0]?.maxDepth).toBe(2);
  });

  it.each([true, false])("ignores optional markers (atomically_revocable=%s)", (revocable) => {
    const root = consent("A");
    const forest = new ConsentForest([root, consent("B", root, { atomically_revocable: revocable })]);
    expect(forest.meetsScopeRequirements("A[B]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[*B]")).toBe(true);
    expect(forest.meetsScopeRequirements("*A[*B]")).toBe(true);
    // Optional dependencies are still required to be present.
    expect(forest.meetsScopeRequirements("A[*B *C]")).toBe(false);
  });

  it("does not combine disjoint trees", () => {
    const root1 = consent("A");
    const root2 = consent("B");
    const forest = new ConsentForest([root1, consent("B", root1), root2, consent("C", root2)]);
    expect(forest.trees).toHaveLength(2);
    expect(forest.meetsScopeRequirements("A[B]")).toBe(true);
    expect(forest.meetsScopeRequirements("B[C]")).toBe(true);
    expect(forest.meetsScopeRequirements([Scope.parse("A[B]"), Scope.parse("B[C]")])).toBe(true);
    expect(forest.meetsScopeRequirements("A[B[C]]")).toBe(false);
    // One string has graph semantics: B's dependencies are unioned, so this asks for A[B[C]] too.
    expect(forest.meetsScopeRequirements("A[B] B[C]")).toBe(false);
  });

  it("backtracks across children with the same scope name", () => {
    // A has two B children; only the second has C under it.
    const root = consent("A");
    const b1 = consent("B", root);
    const b2 = consent("B", root);
    const forest = new ConsentForest([root, b1, b2, consent("D", b1), consent("C", b2)]);
    expect(forest.meetsScopeRequirements("A[B[C]]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B[D]]")).toBe(true);
    expect(forest.meetsScopeRequirements("A[B[C D]]")).toBe(false);
  });

  it("ignores client ids", () => {
    const root = consent("A", undefined, { client: "11111111-1111-1111-1111-111111111111" });
    const forest = new ConsentForest([
      root,
      consent("B", root, { client: "22222222-2222-2222-2222-222222222222" }),
    ]);
    expect(forest.meetsScopeRequirements(Scope.parse("A[B]"))).toBe(true);
  });

  it("throws ConsentTreeConstructionError for a missing intermediate node", () => {
    const root = consent("A");
    const node1 = consent("B", root);
    const node2 = consent("C", node1);
    expect(() => new ConsentForest([root, node2])).toThrow(`Missing parent node: ${node1.id}`);
    try {
      new ConsentForest([root, node2]);
    } catch (e) {
      expect(isConsentTreeConstructionError(e)).toBe(true);
      const err = e as ConsentTreeConstructionError;
      expect(err.code).toBe("GLOBUS_ERROR");
      expect(err.consentId).toBe(node2.id);
      expect(err.missingParentId).toBe(node1.id);
      expect(err.message).toBe(`Failed to compute forest edges. Missing parent node: ${node1.id}.`);
    }
  });

  it("leaves consents with an empty dependency_path out of every tree", () => {
    const root = consent("A");
    const odd = consent("B", undefined, { dependency_path: [] });
    const forest = new ConsentForest([root, odd]);
    expect(forest.nodes).toHaveLength(2);
    expect(forest.trees).toHaveLength(1);
    expect(forest.meetsScopeRequirements("B")).toBe(false);
  });

  it("survives cyclic links made by duplicated ids", () => {
    const a = consent("A", undefined, { id: 1, dependency_path: [1] });
    const a2 = consent("A", undefined, { id: 1, dependency_path: [2, 1] });
    const b = consent("B", undefined, { id: 2, dependency_path: [1, 2] });
    const forest = new ConsentForest([a, a2, b]);
    expect(forest.trees[0]?.maxDepth).toBe(2);
    const nested = new Scope("A", {
      dependencies: [new Scope("B", { dependencies: [new Scope("A", { dependencies: [new Scope("B")] })] })],
    });
    expect(forest.meetsScopeRequirements(nested)).toBe(true);
  });

  it("handles deep trees and deep scopes without recursion", () => {
    const chain: Consent[] = [consent("s0")];
    // Paths grow with depth, so the fixture is quadratic in size; 3000 levels is plenty.
    for (let i = 1; i < 3000; i++) chain.push(consent(`s${i}`, chain[i - 1]));
    const forest = new ConsentForest(chain);
    expect(forest.trees[0]?.maxDepth).toBe(3000);
    let scope = new Scope("s2999");
    for (let i = 2998; i >= 0; i--) scope = new Scope(`s${i}`, { dependencies: [scope] });
    expect(forest.meetsScopeRequirements(scope)).toBe(true);
    expect(forest.meetsScopeRequirements(new Scope("s0", { dependencies: [new Scope("s2")] }))).toBe(false);
  });

  it("propagates scope parse errors", () => {
    const forest = ConsentForest.fromConsentsResponse(getConsentsBody);
    expect(() => forest.meetsScopeRequirements("a[")).toThrow(ScopeParseError);
  });

  it("ConsentTree rejects a root id outside the forest", () => {
    const forest = new ConsentForest([consent("A")]);
    expect(() => new ConsentTree(-1, forest)).toThrow("not part of the forest");
  });
});
