import type { EmulatorClient, EmulatorIdentity } from "./client-identity-registry.ts";
import type { AuthorizeTransaction } from "./consent-store.ts";
import { escapeHtml, renderPage } from "./html.ts";
import { describeScope, resourceServerForScope } from "./scope-registry.ts";
import type { ScopeNode } from "./scope-tree.ts";

function renderScopes(nodes: readonly ScopeNode[], depth: number): string {
  const items = nodes.map((node) => {
    const description = describeScope(node.scope);
    const label = description
      ? `${escapeHtml(description)} <code>${escapeHtml(node.scope)}</code>`
      : `<code>${escapeHtml(node.scope)}</code>`;
    const optional = node.optional ? ' <span class="optional">(optional)</span>' : "";
    const resourceServer =
      depth === 0
        ? ` <span class="scope-rs">— ${escapeHtml(resourceServerForScope(node.scope) ?? "")}</span>`
        : "";
    const nested = node.dependencies.length > 0 ? `\n${renderScopes(node.dependencies, depth + 1)}` : "";
    return `<li>${label}${optional}${resourceServer}${nested}</li>`;
  });
  return `<ul${depth === 0 ? ' id="scopes"' : ""}>\n${items.join("\n")}\n</ul>`;
}

/**
 * @internal The login-and-consent page: a radio list of the identities allowed to sign in, the
 * requested scopes as nested lists, and Allow/Deny buttons posting the transaction id back.
 */
export function renderConsentPage(options: {
  client: EmulatorClient;
  transaction: AuthorizeTransaction;
  identities: readonly EmulatorIdentity[];
  preselected: string | undefined;
  error?: string | undefined;
}): string {
  const { client, transaction, identities } = options;
  const parts: string[] = [
    "<h1>Sign in with Globus</h1>",
    `<p><strong>${escapeHtml(client.name)}</strong> (<code>${escapeHtml(client.id)}</code>) would like to use your Globus identity.</p>`,
    ...notices(client, transaction, options.error),
    '<form method="post" action="/v2/oauth2/authorize">',
    `<input type="hidden" name="transaction" value="${escapeHtml(transaction.id)}">`,
    ...identityChooser(identities, options.preselected),
    '<section aria-labelledby="scopes-heading"><h2 id="scopes-heading">This app is requesting access to</h2>',
    renderScopes(transaction.scopes, 0),
    "</section>",
  ];
  if (transaction.offline)
    parts.push("<p>The app asks to keep access while you are away (refresh tokens).</p>");
  parts.push(
    '<p><label for="grant-name">Name this consent (optional)</label><br>',
    `<input type="text" id="grant-name" name="grant_name" value="${escapeHtml(transaction.namedGrant ?? "")}" maxlength="200"></p>`,
    '<div class="actions">',
    identities.length > 0
      ? '<button type="submit" class="allow" name="decision" value="allow">Allow</button>'
      : "",
    '<button type="submit" class="deny" name="decision" value="deny" formnovalidate>Deny</button>',
    "</div>",
    "</form>",
  );
  return renderPage(`Sign in to ${client.name}`, parts.filter(Boolean).join("\n"));
}

/** What the page says before the form: the last error, the app's message, its MFA and policy demands. */
function notices(
  client: EmulatorClient,
  transaction: AuthorizeTransaction,
  error: string | undefined,
): string[] {
  const parts: string[] = [];
  if (error) parts.push(`<p class="alert" role="alert">${escapeHtml(error)}</p>`);
  if (transaction.sessionMessage) {
    parts.push(
      `<section class="note" aria-labelledby="message-heading"><h2 id="message-heading">Message from ${escapeHtml(client.name)}</h2><p>${escapeHtml(transaction.sessionMessage)}</p></section>`,
    );
  }
  if (transaction.mfaRequired) {
    parts.push(
      '<p class="note">This app requires multi-factor authentication; signing in here counts as an MFA login.</p>',
    );
  }
  if (transaction.policies.length > 0) {
    const items = transaction.policies
      .map((policy) => `<li><code>${escapeHtml(policy)}</code></li>`)
      .join("");
    parts.push(
      `<div class="note"><p>This app requires these authentication policies; signing in here satisfies them:</p><ul>${items}</ul></div>`,
    );
  }
  return parts;
}

/** The radio list of identities, `preselected` (else the first) checked; an alert when there are none. */
function identityChooser(identities: readonly EmulatorIdentity[], preselected: string | undefined): string[] {
  if (identities.length === 0) {
    return [
      '<p class="alert" role="alert">None of the emulator\'s identities satisfies this app\'s session requirements. You can only deny the request.</p>',
    ];
  }
  const checked = preselected ?? identities[0]?.id;
  const radios = identities.map((identity, index) => {
    const id = `identity-${index}`;
    const detail = [identity.username, identity.identityProviderDisplayName].map(escapeHtml).join(" · ");
    return `<div class="identity"><input type="radio" id="${id}" name="identity_id" value="${escapeHtml(identity.id)}" required${identity.id === checked ? " checked" : ""}> <label for="${id}">${escapeHtml(identity.name ?? identity.username)} <span class="scope-rs">(${detail})</span></label></div>`;
  });
  return ["<fieldset>\n<legend>Choose the identity to sign in with</legend>", ...radios, "</fieldset>"];
}

/** @internal The page that shows an authorization code for copy and paste (`v2/web/auth-code`). */
export function renderAuthCodePage(
  code: string | undefined,
  error: string | undefined,
  description: string | undefined,
): string {
  if (error !== undefined) {
    return renderPage(
      "Login failed",
      `<h1>Login failed</h1>\n<p class="alert" role="alert"><code>${escapeHtml(error)}</code>${description ? ` — ${escapeHtml(description)}` : ""}</p>`,
    );
  }
  if (code === undefined) {
    return renderPage(
      "No authorization code",
      "<h1>No authorization code</h1>\n<p>This page expects a <code>code</code> parameter.</p>",
    );
  }
  return renderPage(
    "Authorization code",
    [
      "<h1>Native App Authorization Code</h1>",
      "<p>Copy this code and paste it into the application that asked you to sign in.</p>",
      `<p><label for="auth-code">Authorization code</label><br><input type="text" id="auth-code" readonly value="${escapeHtml(code)}" size="60"></p>`,
      "<p>The code expires in 10 minutes and works once.</p>",
    ].join("\n"),
  );
}
