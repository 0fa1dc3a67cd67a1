import "./report-startup-error.ts";
import {
  AuthClient,
  FlowsClient,
  FlowsScopes,
  type GARE,
  type GlobusAuthorizationParameters,
  GroupsClient,
  GroupsScopes,
  isGlobusAPIError,
  isGlobusError,
  NativeAppAuthClient,
  SearchClient,
  SearchScopes,
  SpecificFlowClient,
  type TokenStorageData,
  TransferClient,
  toGare,
  UserApp,
} from "globus-app";
import { PopupLoginFlowManager } from "globus-app/browser";
import { readConfig } from "./config.ts";
import { describeError, type ErrorReport } from "./describe-error.ts";
import { byId, formatSize, formatTimeLeft, h } from "./dom.ts";
import { gareNeeds } from "./gare.ts";
import { ServicesPage } from "./services-page.ts";
import { TransferPanel } from "./transfer-panel.ts";

// ---------------------------------------------------------------------------------------------
// The app: one UserApp, one login client shared with the popup flow, and the service clients.
// ---------------------------------------------------------------------------------------------

const config = readConfig();

const loginClient = new NativeAppAuthClient({
  clientId: config.clientId,
  baseUrl: config.authUrl,
  environment: config.environment,
});

const app = new UserApp("globus-app demo", {
  loginClient,
  config: {
    environment: config.environment,
    // Both flows come back to this very page; register it with your client.
    loginRedirectUri: config.redirectUri,
    // Lets a session outlive the 48-hour access tokens; see packages/browser/README.md before copying.
    requestRefreshTokens: true,
    // The page decides when to send people to Globus (and says why), so an API call never
    // navigates away by itself; a missing login surfaces as an error with a "Sign in" button.
    tokenValidationErrorHandler: null,
    // tokenStorage: "indexeddb" and loginFlowManager: "redirect" are the browser defaults.
  },
});

/** The second way in: same client and redirect URI, but the page stays put. */
const popupLogin = new PopupLoginFlowManager(loginClient, {
  redirectUri: config.redirectUri,
  requestRefreshTokens: true,
  prefillNamedGrant: app.appName,
});

// Built before the first login, so that login asks for their scopes too.
const auth = new AuthClient({ app, baseUrl: config.authUrl });
const transfer = new TransferClient({ app, baseUrl: config.transferUrl });
// The mapped collections the portal knows it works with: the first login asks for their data_access
// consent too, so the first transfer there needs no consent round trip. Others answer
// ConsentRequired with a GARE, which the transfer panel turns into a consent step.
if (config.dataAccessCollections.length > 0) transfer.addAppDataAccessScope(config.dataAccessCollections);
// The services page's clients, also built before the first login, so that one sign-in covers both
// pages. Each asks for the least it needs: read-only Groups, Search queries, and Flows' flow
// descriptions and run status (starting a run takes the flow's own scope, below).
const groups = new GroupsClient({
  app,
  baseUrl: config.groupsUrl,
  appScopes: GroupsScopes.view_my_groups_and_memberships,
});
const searchClient = new SearchClient({ app, baseUrl: config.searchUrl, appScopes: SearchScopes.search });
const flows = new FlowsClient({
  app,
  baseUrl: config.flowsUrl,
  appScopes: [FlowsScopes.view_flows, FlowsScopes.run_status],
});
// The flow's own `user` scope (its resource server is the flow id). The flow's Transfer step needs
// a consent to Transfer under that scope, which this login does not ask for, so the first run meets
// a ConsentRequired GARE and the flow panel's consent step. A portal that would rather ask at the
// first login registers the scope with Transfer under it (see `addAppTransferDataAccessScope`).
const sampleFlow = config.flowId
  ? new SpecificFlowClient(config.flowId, { app, baseUrl: config.flowsUrl })
  : undefined;

// ---------------------------------------------------------------------------------------------
// Page elements and small helpers
// ---------------------------------------------------------------------------------------------

const ui = {
  main: byId("main"),
  mode: byId("mode"),
  navHome: byId<HTMLAnchorElement>("nav-home"),
  navServices: byId<HTMLAnchorElement>("nav-services"),
  homePage: byId("home-page"),
  servicesPage: byId("services-page"),
  status: byId("status"),
  remote: byId("remote"),
  error: byId("error"),
  errorTitle: byId("error-title"),
  errorHint: byId("error-hint"),
  errorDetail: byId("error-detail"),
  errorSignIn: byId<HTMLButtonElement>("error-sign-in"),
  errorSignInPopup: byId<HTMLButtonElement>("error-sign-in-popup"),
  errorDismiss: byId<HTMLButtonElement>("error-dismiss"),
  signedOut: byId("signed-out"),
  signedIn: byId("signed-in"),
  signInRedirect: byId<HTMLButtonElement>("sign-in-redirect"),
  signInPopup: byId<HTMLButtonElement>("sign-in-popup"),
  logOut: byId<HTMLButtonElement>("log-out"),
  endGlobusSession: byId<HTMLButtonElement>("end-globus-session"),
  forget: byId<HTMLButtonElement>("forget"),
  userName: byId("user-name"),
  userUsername: byId("user-username"),
  userIdp: byId("user-idp"),
  userId: byId("user-id"),
  tokens: byId<HTMLTableElement>("tokens"),
  searchForm: byId<HTMLFormElement>("search-form"),
  searchText: byId<HTMLInputElement>("search-text"),
  ls: byId<HTMLButtonElement>("ls"),
  stepUp: byId<HTMLButtonElement>("step-up"),
  gare: byId("gare"),
  gareMessage: byId("gare-message"),
  gareNeeds: byId("gare-needs"),
  gareRedirect: byId<HTMLButtonElement>("gare-redirect"),
  garePopup: byId<HTMLButtonElement>("gare-popup"),
  apiResult: byId("api-result"),
};

/** What the status line says once signed out, when this tab did it (a logout) rather than found it. */
let signedOutNote: string | undefined;

const say = (text: string): void => {
  ui.status.textContent = text;
};

function showError(error: unknown): void {
  const report = describeError(error, { emulator: config.mode === "emulator", authUrl: config.authUrl });
  ui.errorTitle.textContent = report.title;
  ui.errorHint.textContent = report.hint;
  ui.errorDetail.textContent = report.detail;
  ui.errorSignIn.hidden = !report.signIn;
  ui.errorSignInPopup.hidden = !report.signIn;
  ui.error.hidden = false;
  say(""); // the alert speaks for itself

  console.warn("globus-app demo:", error);
  if (report.sessionEnded) forgetEndedSession();
}

/**
 * Globus refused the refresh token (revoked, or the session ended elsewhere): the stored tokens are
 * dead, so the card must not go on saying "Signed in" with them. The logout removes them here and in
 * the other tabs; revoking an already revoked token is harmless.
 */
function forgetEndedSession(): void {
  app.logout({ sweep: true }).then(scheduleRender, scheduleRender);
}

function clearError(): void {
  ui.error.hidden = true;
  // A notice about another tab is stale once this tab does something itself.
  ui.remote.hidden = true;
  signedOutNote = undefined;
}

/** Disables a button while its action runs, so a double click does not start two. */
async function busy(button: HTMLButtonElement, action: () => Promise<unknown>): Promise<void> {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

const time = (): string => new Date().toLocaleTimeString();

// ---------------------------------------------------------------------------------------------
// Rendering the signed-in state
// ---------------------------------------------------------------------------------------------

interface UserInfo {
  sub: string;
  name?: unknown;
  preferred_username?: unknown;
  identity_provider_display_name?: unknown;
}

let userinfo: { identityId: string; info: Promise<UserInfo> } | undefined;
/** Who is signed in, as of the last render; read synchronously by the popup login (see below). */
let signedInIdentity: string | null = null;
/** Whether someone is signed in, as of the last render. */
let signedInNow = false;
let records: TokenStorageData[] = [];
let renderScheduled = false;
let renderRun = 0;

/** Coalesces the several events of one login or logout into one render. */
function scheduleRender(): void {
  if (renderScheduled) return;
  renderScheduled = true;
  setTimeout(() => {
    renderScheduled = false;
    void render();
  }, 0);
}

async function render(): Promise<void> {
  const run = ++renderRun;
  let signedIn = false;
  let identityId: string | null = null;
  try {
    signedIn = !(await app.loginRequired());
    identityId = await app.tokenStorage.getIdentityId();
    const stored = await app.tokenStorage.tokenStorage.getTokenDataByResourceServer();
    records = Object.values(stored).sort((a, b) => a.resource_server.localeCompare(b.resource_server));
  } catch (error) {
    showError(error);
  }
  if (run !== renderRun) return; // a newer render has the fresher state
  signedInIdentity = signedIn ? identityId : null;

  ui.signedOut.hidden = signedIn;
  ui.signedIn.hidden = !signedIn;
  // Expired tokens of someone still stored: another identity can sign in only after they are gone.
  ui.forget.hidden = signedIn || identityId === null;
  signedInNow = signedIn;
  showPage();
  if (!signedIn) {
    transferPanel.hide();
    servicesPage.hide();
    userinfo = undefined;
    records = [];
    ui.apiResult.replaceChildren();
    ui.gare.hidden = true;
    if (ui.error.hidden) {
      say(signedOutNote ?? (identityId ? "Your sign-in has expired. Sign in again." : "You are signed out."));
    }
    return;
  }

  ui.userId.textContent = identityId ?? "unknown";
  renderTokens();
  // The id_token's claims, kept by the app since the login: no request to Globus. Tokens stored
  // before the app kept them fall back to userinfo once.
  const user = await app.getUser().catch(() => null);
  if (run !== renderRun) return;
  if (user) userinfo = { identityId: user.sub, info: Promise.resolve(user) };
  if (identityId && userinfo?.identityId !== identityId) {
    userinfo = { identityId, info: auth.userinfo() as Promise<UserInfo> };
    for (const field of [ui.userName, ui.userUsername, ui.userIdp]) field.textContent = "…";
  }
  try {
    const info = await userinfo?.info;
    if (run !== renderRun || !info) return;
    const text = (value: unknown): string => (typeof value === "string" && value ? value : "—");
    ui.userName.textContent = text(info.name);
    ui.userUsername.textContent = text(info.preferred_username);
    ui.userIdp.textContent = text(info.identity_provider_display_name);
    if (ui.error.hidden) say(`Signed in as ${text(info.name)}.`);
  } catch (error) {
    userinfo = undefined; // try again on the next render
    for (const field of [ui.userName, ui.userUsername, ui.userIdp]) field.textContent = "unavailable";
    showError(error);
  }
}

function renderTokens(): void {
  const now = Date.now() / 1000;
  const body = ui.tokens.tBodies[0] as HTMLTableSectionElement;
  body.replaceChildren(
    ...records.map((record) => {
      const scopes = record.scope.split(" ").filter(Boolean);
      const left = record.expires_at_seconds - now;
      return h(
        "tr",
        { "data-resource-server": record.resource_server },
        h("th", { scope: "row" }, record.resource_server),
        h(
          "td",
          { "data-label": "Scopes" },
          h("ul", { class: "scopes" }, ...scopes.map((scope) => h("li", {}, h("code", {}, scope)))),
        ),
        h("td", { class: left < 300 ? "warn" : "", "data-label": "Time left" }, formatTimeLeft(left)),
        h("td", { "data-label": "Refresh token" }, record.refresh_token ? "Yes" : "No"),
      );
    }),
  );
}

// Time left goes down while the page is open.
setInterval(() => {
  if (!ui.signedIn.hidden) renderTokens();
}, 15_000);

// ---------------------------------------------------------------------------------------------
// Signing in and out
// ---------------------------------------------------------------------------------------------

/**
 * A step-up (a GARE's parameters) for someone signed in must come back as the same identity, or the
 * app refuses the tokens (identity mismatch). Unless the GARE names identities itself, ask Globus
 * Auth for this one (`session_required_identities`), so its page offers only them.
 */
function withIdentityHint(authParams: GlobusAuthorizationParameters): GlobusAuthorizationParameters {
  if (!signedInIdentity || (authParams.session_required_identities?.length ?? 0) > 0) return authParams;
  return { ...authParams, session_required_identities: [signedInIdentity] };
}

function signInWithRedirect(authParams?: GlobusAuthorizationParameters): void {
  clearError();
  say("Taking you to Globus to sign in…");
  // Navigates away; the promise only settles here if starting the login fails.
  app.login(authParams ? { authParams: withIdentityHint(authParams) } : { force: true }).catch(showError);
}

/**
 * Must run straight from a click, with no `await` before it: the popup is opened synchronously
 * inside `login()`, while the click still counts as a user gesture.
 */
function signInWithPopup(authParams?: GlobusAuthorizationParameters): Promise<boolean> {
  clearError();
  say("Finish signing in in the popup window…");
  return app
    .login({
      ...(authParams ? { authParams: withIdentityHint(authParams) } : { force: true }),
      loginFlowManager: popupLogin,
    })
    .then(
      () => {
        say("Signed in.");
        return true;
      },
      (error: unknown) => {
        showError(error);
        return false;
      },
    );
}

/** Every button that starts a sign-in: while a popup is open, none may start a second one. */
const signInButtons = [ui.signInRedirect, ui.signInPopup, ui.errorSignIn, ui.errorSignInPopup];

function signInWithPopupFrom(button: HTMLButtonElement): void {
  const others = signInButtons.filter((other) => other !== button);
  for (const other of others) other.disabled = true;
  void busy(button, () => signInWithPopup()).finally(() => {
    for (const other of others) other.disabled = false;
  });
}

ui.signInRedirect.addEventListener("click", () => signInWithRedirect());
ui.signInPopup.addEventListener("click", () => signInWithPopupFrom(ui.signInPopup));
ui.errorSignIn.addEventListener("click", () => signInWithRedirect());
ui.errorSignInPopup.addEventListener("click", () => signInWithPopupFrom(ui.errorSignInPopup));
ui.errorDismiss.addEventListener("click", clearError);

function logOut(button: HTMLButtonElement, globusSession = false): void {
  void busy(button, async () => {
    clearError();
    say("Signing out…");
    try {
      // Revokes every token this app stored at Globus, removes them, and tells the other tabs; with
      // globusSession, then leaves for Globus Auth's logout page, which links back here.
      await app.logout({ sweep: true, globusSession, redirectTo: config.redirectUri });
      signedOutNote = "You are signed out. Your tokens were revoked.";
      say(signedOutNote);
    } catch (error) {
      if (isGlobusError(error) && !isGlobusAPIError(error) && error.code === "API_ERROR") {
        // logout() removes the tokens here even when Globus cannot be told to revoke them.
        showError(error.cause ?? error);
        ui.errorTitle.textContent = "You are signed out here, but Globus could not revoke the tokens.";
      } else showError(error);
    }
  });
}

ui.logOut.addEventListener("click", () => logOut(ui.logOut));
ui.endGlobusSession.addEventListener("click", () => logOut(ui.endGlobusSession, true));
ui.forget.addEventListener("click", () => logOut(ui.forget));

// ---------------------------------------------------------------------------------------------
// Calling Transfer, and stepping up when a collection asks for more (a GARE)
// ---------------------------------------------------------------------------------------------

interface EndpointDocument {
  id: string;
  display_name?: string | null;
  owner_string?: string | null;
  description?: string | null;
}

interface FileDocument {
  name: string;
  type: string;
  size?: number;
  last_modified?: string | null;
}

async function search(text: string): Promise<void> {
  clearError();
  say(`Searching collections for “${text}”…`);
  try {
    const result = await transfer.endpointSearch(text, { limit: 10 });
    const found = result.DATA as EndpointDocument[];
    say(`Found ${found.length} collection${found.length === 1 ? "" : "s"}.`);
    ui.apiResult.replaceChildren(
      h("h3", {}, `Collections matching “${text}”`),
      found.length === 0
        ? h("p", {}, "No collection matches.")
        : h(
            "ul",
            { class: "results", id: "search-results" },
            ...found.map((doc) =>
              h(
                "li",
                {},
                h(
                  "div",
                  {},
                  h("strong", {}, doc.display_name ?? doc.id),
                  h("span", { class: "muted" }, ` · ${doc.owner_string ?? ""}`),
                  h("br"),
                  h("code", { class: "muted" }, doc.id),
                ),
                h(
                  "button",
                  {
                    type: "button",
                    class: "secondary small",
                    "aria-label": `List files of ${doc.display_name ?? doc.id}`,
                    onclick: (event: Event) =>
                      void busy(event.currentTarget as HTMLButtonElement, () =>
                        listCollection(doc.id, doc.display_name ?? undefined),
                      ),
                  },
                  "List files",
                ),
              ),
            ),
          ),
    );
  } catch (error) {
    showError(error);
  }
}

/** The collection to list again once a step-up login by redirect comes back. */
const REDRIVE_KEY = "globus-app-demo:redrive";
let pendingGare: { gare: GARE; collectionId: string } | undefined;

async function listCollection(collectionId: string, knownName?: string): Promise<void> {
  clearError();
  ui.gare.hidden = true;
  say(`Listing collection ${collectionId}…`);
  try {
    const listing = await transfer.operationLs(collectionId);
    // People know a collection by its name; a search result has it, otherwise Transfer is asked.
    const name =
      knownName ||
      (await transfer.getEndpoint(collectionId).then(
        (doc) => (doc as EndpointDocument).display_name || undefined,
        () => undefined, // the listing matters more than its heading
      ));
    showListing(collectionId, name, listing.DATA as FileDocument[]);
  } catch (error) {
    // A 403 that carries a Globus Auth requirements error: a login with its parameters fixes it.
    const gare = isGlobusAPIError(error) ? toGare(error.body) : null;
    if (gare) showGare(gare, collectionId);
    else showError(error);
  }
}

function showListing(collectionId: string, name: string | undefined, files: FileDocument[]): void {
  say(`Listed ${files.length} entries of collection ${collectionId}.`);
  ui.apiResult.replaceChildren(
    name
      ? h("h3", {}, `Files in ${name} `, h("code", { class: "muted" }, collectionId))
      : h("h3", {}, "Files in ", h("code", {}, collectionId)),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { id: "listing", class: "stack" },
        h("caption", { class: "visually-hidden" }, `Files in ${name ?? `collection ${collectionId}`}`),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Name"),
            h("th", { scope: "col" }, "Type"),
            h("th", { scope: "col" }, "Size"),
            h("th", { scope: "col" }, "Modified"),
          ),
        ),
        h(
          "tbody",
          {},
          ...files.map((file) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, file.type === "dir" ? `${file.name}/` : file.name),
              h("td", { "data-label": "Type" }, file.type),
              h("td", { "data-label": "Size" }, typeof file.size === "number" ? formatSize(file.size) : ""),
              h("td", { "data-label": "Modified" }, file.last_modified ?? ""),
            ),
          ),
        ),
      ),
    ),
  );
}

function showGare(gare: GARE, collectionId: string): void {
  pendingGare = { gare, collectionId };
  const params = gare.authorization_parameters;
  const needs = gareNeeds(params);
  // Globus's own words first (session_message), then what the sign-in must satisfy.
  ui.gareMessage.textContent = params.session_message ?? `Collection ${collectionId} asks for more.`;
  ui.gareNeeds.textContent = `It needs ${needs.join(", ") || "another sign-in"}. Sign in again, and the listing is retried.`;
  ui.apiResult.replaceChildren();
  ui.gare.hidden = false;
  say("Globus needs another sign-in before it lists this collection.");
}

ui.searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.searchText.value.trim();
  const button = ui.searchForm.querySelector("button") as HTMLButtonElement;
  void busy(button, () => search(text));
});
ui.ls.addEventListener("click", () => void busy(ui.ls, () => listCollection(config.lsCollection)));
if (config.stepUpCollection) {
  const collection = config.stepUpCollection;
  ui.stepUp.hidden = false;
  ui.stepUp.addEventListener("click", () => void busy(ui.stepUp, () => listCollection(collection)));
}
ui.gareRedirect.addEventListener("click", () => {
  if (!pendingGare) return;
  sessionStorage.setItem(REDRIVE_KEY, pendingGare.collectionId);
  signInWithRedirect(pendingGare.gare.authorization_parameters);
});
ui.garePopup.addEventListener("click", () => {
  if (!pendingGare) return;
  const { gare, collectionId } = pendingGare;
  ui.gareRedirect.disabled = true; // one sign-in at a time
  void busy(ui.garePopup, async () => {
    if (await signInWithPopup(gare.authorization_parameters)) await listCollection(collectionId);
  }).finally(() => {
    ui.gareRedirect.disabled = false;
  });
});

// ---------------------------------------------------------------------------------------------
// The transfer panel: two collections side by side, tasks and their history (transfer-panel.ts),
// and the services page: groups, a Search index and a flow (services-page.ts)
// ---------------------------------------------------------------------------------------------

/** Words for a panel's failure; one that ended the sign-in gets the page-wide alert instead. */
function describePanelError(error: unknown): ErrorReport {
  const report = describeError(error, { emulator: config.mode === "emulator", authUrl: config.authUrl });
  // The panel goes with the sign-in (its notice stays hidden); the page-wide alert says why and
  // offers the ways back in.
  if (report.sessionEnded) showError(error);
  return report;
}

const transferPanel = new TransferPanel(byId("transfer-panel"), {
  transfer,
  config,
  describe: describePanelError,
  signInWithRedirect,
  signInWithPopup,
});

const servicesPage = new ServicesPage(ui.servicesPage, {
  groups,
  search: searchClient,
  flows,
  flow: sampleFlow,
  config,
  describe: describePanelError,
  signInWithRedirect,
  signInWithPopup,
});

// ---------------------------------------------------------------------------------------------
// Pages: the home page (#/ or no fragment) and the services page (#/services)
// ---------------------------------------------------------------------------------------------

const onServicesPage = (): boolean => location.hash === "#/services";

/**
 * Shows the page the address names, and (signed in) loads it the first time. Both pages share the
 * sign-in card above them; a redirect login comes back to the address it left, fragment included.
 */
function showPage(): void {
  const services = onServicesPage();
  ui.homePage.hidden = services;
  ui.servicesPage.hidden = !services;
  for (const [link, current] of [
    [ui.navHome, !services],
    [ui.navServices, services],
  ] as const) {
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = services ? "Services · globus-app demo portal" : "globus-app demo portal";
  if (!signedInNow) return;
  if (services) void servicesPage.show();
  else void transferPanel.show();
}

window.addEventListener("hashchange", () => {
  showPage();
  // Screen readers hear the new page from its start, as after a page load.
  ui.main.focus({ preventScroll: true });
});

// ---------------------------------------------------------------------------------------------
// Events: this tab's and the other tabs' (source: "remote")
// ---------------------------------------------------------------------------------------------

function remote(text: string): void {
  ui.remote.textContent = `${text} (${time()})`;
  ui.remote.hidden = false;
}

app.on("login", (event) => {
  if (event.source === "remote") {
    clearError();
    remote("Another tab signed in; this page now shows that sign-in.");
  }
  scheduleRender();
});
app.on("logout", (event) => {
  if (event.source === "remote") {
    clearError();
    remote("Another tab signed out; you are signed out here too.");
  }
  scheduleRender();
});
app.on("tokensChanged", scheduleRender);
app.on("identityChanged", scheduleRender);
app.on("storageFallback", () => {
  remote("This browser cannot keep the sign-in (IndexedDB is unavailable); it lasts until this tab closes.");
});

// ---------------------------------------------------------------------------------------------
// Start-up: finish a login that came back to this page, then show the state
// ---------------------------------------------------------------------------------------------

/** A login callback in a window opened by this app's popup flow (the window then closes itself). */
function isPopupCallback(): boolean {
  const query = new URLSearchParams(location.search);
  return window.opener !== null && query.has("state") && (query.has("code") || query.has("error"));
}

async function start(): Promise<void> {
  showPage();
  ui.mode.textContent =
    config.mode === "emulator"
      ? `Local Globus Auth emulator · ${config.authUrl}`
      : `Globus${config.environment === "production" ? "" : ` (${config.environment})`}`;

  let redrive: string | null = null;
  try {
    // Completes a redirect login that came back here, or hands a popup's callback to its opener.
    const handled = await app.handleRedirect();
    if (handled) {
      history.replaceState(null, "", handled.returnUrl);
      say("Signed in.");
      redrive = sessionStorage.getItem(REDRIVE_KEY);
    } else if (isPopupCallback()) {
      say("Finishing the sign-in… this window closes by itself.");
      return;
    }
  } catch (error) {
    showError(error);
  } finally {
    sessionStorage.removeItem(REDRIVE_KEY);
  }
  await render();
  if (redrive && !(await app.loginRequired())) await listCollection(redrive);
}

void start();
