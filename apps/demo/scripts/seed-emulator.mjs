// The demo's own sample data in a freshly started emulator, made the way a portal's operators would
// make it at Globus: the portal's service account (the emulator's sample confidential client, by
// client credentials) deploys a flow anyone signed in may run, and a group with Ada Lovelace in it.
// Only the emulator's public HTTP APIs are used; the emulator itself stays generic. Its own sample
// data does the rest: the sample group (Ada is its admin) and the sample Search index.

/** The emulator's sample collections that the flow's Transfer step copies between (`SAMPLE_COLLECTIONS`). */
const TUTORIAL_1 = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const TUTORIAL_2 = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";
/** Ada Lovelace, the emulator's first sample identity (`SAMPLE_IDENTITIES`). */
const ADA = "e97b81af-bba5-4d10-849c-0b40ea5084c1";

const FLOWS_MANAGE = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/manage_flows";
const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";

/**
 * The sample flow: a Transfer action (so a run needs the person's consent to act through Transfer,
 * which Flows asks for with a GARE), then a Pass state. The input names the collections and paths,
 * so the same flow copies anything the person may read to anywhere they may write.
 */
const SAMPLE_FLOW = {
  title: "globus-app demo: copy with Transfer",
  subtitle: "Copies files between two collections, then says it is done",
  description:
    "The demo portal's sample flow: one Globus Transfer action (which needs your consent to use " +
    "Transfer on your behalf), then a Pass state.",
  keywords: ["globus-app", "demo", "transfer"],
  definition: {
    Comment: "Copy files with Globus Transfer",
    StartAt: "CopyFiles",
    States: {
      CopyFiles: {
        Comment: "A Globus Transfer task from the input's source to its destination",
        Type: "Action",
        ActionUrl: "https://actions.globus.org/transfer/transfer",
        Parameters: {
          "source_endpoint.$": "$.source_endpoint",
          "destination_endpoint.$": "$.destination_endpoint",
          "DATA.$": "$.transfer_items",
          label: "globus-app demo flow copy",
        },
        ResultPath: "$.CopyFiles",
        WaitTime: 600,
        Next: "Done",
      },
      Done: { Comment: "The copy was submitted", Type: "Pass", End: true },
    },
  },
  input_schema: {
    type: "object",
    required: ["source_endpoint", "destination_endpoint", "transfer_items"],
    properties: {
      source_endpoint: { type: "string", format: "uuid", title: "Source collection" },
      destination_endpoint: { type: "string", format: "uuid", title: "Destination collection" },
      transfer_items: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["source_path", "destination_path"],
          properties: {
            source_path: { type: "string" },
            destination_path: { type: "string" },
            recursive: { type: "boolean" },
          },
        },
      },
    },
  },
  flow_starters: ["all_authenticated_users"],
  flow_viewers: ["all_authenticated_users"],
};

/**
 * What the demo page starts a run with: Tutorial Collection 2's `/~/data/` folder into a folder of
 * its own on Tutorial Collection 1 (inside `/~/data/`, so the listings the other tests count stay
 * as they are).
 */
const SAMPLE_FLOW_INPUT = {
  source_endpoint: TUTORIAL_2,
  destination_endpoint: TUTORIAL_1,
  transfer_items: [{ source_path: "/~/data/", destination_path: "/~/data/copied-by-flow/", recursive: true }],
};

/** An access token of the confidential client for one resource server's scope (client credentials). */
async function clientToken(emulatorUrl, client, scope) {
  const response = await fetch(new URL("v2/oauth2/token", emulatorUrl), {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  if (!response.ok) throw new Error(`client credentials for ${scope}: ${response.status}`);
  const { access_token: token } = await response.json();
  return token;
}

/** POSTs JSON with a bearer token; the answer's JSON. Errors name the call, never the token. */
async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST ${new URL(url).pathname}: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Adds the demo's sample data to a fresh emulator.
 *
 * @param {{ url: string, clients: readonly { id: string, secret?: string }[] }} emulator - a started emulator
 * @returns {Promise<{ env: Record<string, string>, banner: string[] }>} the `VITE_*` settings that
 *   point the page at the data, and lines for the start banner
 */
export async function seedEmulator(emulator) {
  const client = emulator.clients.find((candidate) => candidate.secret);
  if (!client) throw new Error("the emulator has no confidential client to deploy the sample flow with");

  const flowsToken = await clientToken(emulator.url, client, FLOWS_MANAGE);
  const flow = await post(new URL("flows/flows", emulator.url), flowsToken, SAMPLE_FLOW);

  const groupsToken = await clientToken(emulator.url, client, GROUPS_ALL);
  const group = await post(new URL("groups/v2/groups", emulator.url), groupsToken, {
    name: "globus-app demo portal users",
    description:
      "Made by the demo's start script: the portal's service account administers it, Ada is a member.",
  });
  const added = await post(new URL(`groups/v2/groups/${group.id}`, emulator.url), groupsToken, {
    add: [{ identity_id: ADA, role: "member" }],
  });
  if (added.errors?.length) throw new Error(`adding Ada to the demo group: ${JSON.stringify(added.errors)}`);

  return {
    env: { VITE_DEMO_FLOW_ID: flow.id, VITE_DEMO_FLOW_INPUT: JSON.stringify(SAMPLE_FLOW_INPUT) },
    banner: [`  Sample flow: ${flow.title} (${flow.id})`, `  Sample group: ${group.name} (${group.id})`],
  };
}
