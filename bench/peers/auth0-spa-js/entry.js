// auth0-spa-js's browser login, the equivalent of bench/bundle/entry.ts: tokens cached in localStorage,
// redirect login on a click, the callback handled at start-up.
import { createAuth0Client } from "@auth0/auth0-spa-js";

const client = await createAuth0Client({
  domain: "auth.example.org",
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  cacheLocation: "localstorage",
  authorizationParams: {
    redirect_uri: `${location.origin}/`,
    scope: "openid urn:globus:auth:scope:transfer.api.globus.org:all",
  },
});
if (new URLSearchParams(location.search).has("code")) await client.handleRedirectCallback();
document.querySelector("button")?.addEventListener("click", () => client.loginWithRedirect());
