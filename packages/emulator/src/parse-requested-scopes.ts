import { resourceServerForScope } from "./scope-registry.ts";
import { parseScopeTree, type ScopeNode, ScopeSyntaxError, walkScopeTree } from "./scope-tree.ts";

/**
 * @internal A requested scope string (the `scope` parameter of authorize, a client-credentials
 * grant or `control.issueTokens`) parsed into trees and checked against the scope registry: every
 * scope, dependencies included, must name a resource server Globus Auth would know.
 *
 * @returns the scope trees, or a sentence describing the first problem (a missing or blank string,
 *   a syntax error, an unknown scope), for the caller to answer in its own error format.
 * @example
 * parseRequestedScopes("openid urn:globus:auth:scope:transfer.api.globus.org:all"); // two ScopeNodes
 * parseRequestedScopes("nonsense"); // "unknown scope: nonsense"
 */
export function parseRequestedScopes(scope: string | null): ScopeNode[] | string {
  if (scope === null || scope.trim() === "") return "scope is required";
  let nodes: ScopeNode[];
  try {
    nodes = parseScopeTree(scope);
  } catch (error) {
    if (error instanceof ScopeSyntaxError) return `invalid scope string: ${error.message}`;
    throw error;
  }
  const unknown: string[] = [];
  walkScopeTree(nodes, (node) => {
    if (resourceServerForScope(node.scope) === undefined) unknown.push(node.scope);
  });
  if (unknown.length > 0) return `unknown scope: ${unknown[0]}`;
  return nodes;
}
