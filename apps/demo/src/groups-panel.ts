import type { GroupDocument, GroupsClient, MembershipStatus } from "globus-app";
import { h } from "./dom.ts";
import type { ProblemNotice } from "./problem-notice.ts";

/** What a {@link GroupsPanel} needs from the page. */
export interface GroupsPanelOptions {
  /** Bound to the app with Groups' read-only scope (`view_my_groups_and_memberships`). */
  readonly groups: GroupsClient;
  /** Where a failed call is worded. */
  readonly problem: ProblemNotice;
}

/** The memberships the panel lists: the person's groups, and their open invitations. */
const STATUSES: readonly MembershipStatus[] = ["active", "invited"];

/** "admin", or "member, invited" — one person may hold several memberships through linked identities. */
function membershipWords(group: GroupDocument): { role: string; status: string } {
  const memberships = group.my_memberships ?? [];
  const unique = (values: readonly string[]): string => [...new Set(values)].join(", ") || "—";
  return {
    role: unique(memberships.map((membership) => membership.role)),
    status: unique(memberships.map((membership) => membership.status)),
  };
}

/**
 * The signed-in person's groups (`GroupsClient.getMyGroups`, active memberships and invitations),
 * with their role in each: what a portal checks before it shows a group's data, or lists to let
 * someone share with a group.
 *
 * @example
 * ```ts
 * const panel = new GroupsPanel({ groups: new GroupsClient({ app }), problem });
 * container.append(panel.element);
 * await panel.load();
 * ```
 */
export class GroupsPanel {
  /** The panel: a card with a heading, a Refresh button and the table. */
  readonly element: HTMLElement;

  readonly #options: GroupsPanelOptions;
  readonly #refresh: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;
  readonly #body: HTMLTableSectionElement;
  readonly #table: HTMLTableElement;
  #run = 0;

  constructor(options: GroupsPanelOptions) {
    this.#options = options;
    this.#refresh = h("button", { type: "button", class: "secondary small" }, "Refresh");
    this.#refresh.addEventListener("click", () => void this.load());
    this.#note = h("p", { class: "muted", id: "groups-note", "aria-live": "polite" });
    this.#body = h("tbody");
    this.#table = h(
      "table",
      { class: "stack", id: "groups-table", hidden: true },
      h("caption", { class: "visually-hidden" }, "Your groups and your role in each"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Group"),
          h("th", { scope: "col" }, "Your role"),
          h("th", { scope: "col" }, "Membership"),
        ),
      ),
      this.#body,
    );
    this.element = h(
      "section",
      { class: "card", id: "groups-panel", "aria-labelledby": "groups-heading" },
      h("div", { class: "card-head" }, h("h2", { id: "groups-heading" }, "Your groups"), this.#refresh),
      options.problem.element,
      this.#note,
      h("div", { class: "table-scroll" }, this.#table),
    );
  }

  /** Lists the groups (again). A failure is worded by the panel's {@link ProblemNotice}. */
  async load(): Promise<void> {
    const run = ++this.#run;
    this.#options.problem.hide();
    this.#refresh.disabled = true;
    this.#refresh.setAttribute("aria-busy", "true");
    this.#note.textContent = "Loading your groups…";
    try {
      const groups = await this.#options.groups.getMyGroups({ statuses: STATUSES });
      if (run !== this.#run) return; // a newer load (or a sign-out) replaced this one
      this.#body.replaceChildren(...groups.map((group) => this.#row(group)));
      this.#table.hidden = groups.length === 0;
      this.#note.textContent =
        groups.length === 0
          ? "You are in no group yet."
          : `You are in ${groups.length} group${groups.length === 1 ? "" : "s"}.`;
    } catch (error) {
      if (run !== this.#run) return;
      this.#note.textContent = "";
      this.#options.problem.show(error);
    } finally {
      if (run === this.#run) {
        this.#refresh.disabled = false;
        this.#refresh.removeAttribute("aria-busy");
      }
    }
  }

  /** Forgets what was listed (sign-out). */
  clear(): void {
    this.#run++;
    this.#body.replaceChildren();
    this.#table.hidden = true;
    this.#note.textContent = "";
    this.#refresh.disabled = false;
    this.#refresh.removeAttribute("aria-busy");
    this.#options.problem.hide();
  }

  #row(group: GroupDocument): HTMLTableRowElement {
    const { role, status } = membershipWords(group);
    return h(
      "tr",
      { "data-group-id": group.id },
      h(
        "th",
        { scope: "row" },
        group.name,
        group.description ? h("span", { class: "muted group-description" }, group.description) : null,
      ),
      h("td", { "data-label": "Your role" }, role),
      h("td", { "data-label": "Membership" }, status),
    );
  }
}
