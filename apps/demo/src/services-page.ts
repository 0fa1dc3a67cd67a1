import type {
  FlowsClient,
  GlobusAuthorizationParameters,
  GroupsClient,
  SearchClient,
  SpecificFlowClient,
} from "globus-app";
import type { DemoConfig } from "./config.ts";
import { ConsentNotice } from "./consent-notice.ts";
import type { ErrorReport } from "./describe-error.ts";
import { FlowPanel } from "./flow-panel.ts";
import { GroupsPanel } from "./groups-panel.ts";
import { ProblemNotice } from "./problem-notice.ts";
import { SearchPanel } from "./search-panel.ts";

/** What the {@link ServicesPage} needs from the page: its clients, bound to the app, and sign-in. */
export interface ServicesPageOptions {
  readonly groups: GroupsClient;
  readonly search: SearchClient;
  readonly flows: FlowsClient;
  /** The flow to run; none when none is configured. */
  readonly flow: SpecificFlowClient | undefined;
  readonly config: DemoConfig;
  /** Words for a failure (the page's `describeError`). */
  readonly describe: (error: unknown) => ErrorReport;
  /** Navigates to Globus; comes back to this page's address (`#/services`). */
  readonly signInWithRedirect: (authParams?: GlobusAuthorizationParameters) => void;
  /** Must be called straight from a click; resolves `true` once signed in. */
  readonly signInWithPopup: (authParams?: GlobusAuthorizationParameters) => Promise<boolean>;
}

/**
 * The demo's second page (`#/services`): the Globus services a portal uses besides Transfer, with
 * the same sign-in — the person's groups ({@link GroupsPanel}), a Search index
 * ({@link SearchPanel}) and a flow run to its end ({@link FlowPanel}). Each panel words its own
 * errors, so one service's trouble leaves the others' results in place.
 *
 * @example
 * ```ts
 * const page = new ServicesPage(document.getElementById("services-page")!, { groups, search, flows, flow, config, describe, signInWithRedirect, signInWithPopup });
 * if (signedIn) await page.show(); else page.hide();
 * ```
 */
export class ServicesPage {
  readonly #groups: GroupsPanel;
  readonly #search: SearchPanel;
  readonly #flow: FlowPanel;
  #shown = false;

  /** Builds the three panels into `element` (the page's container in index.html). */
  constructor(element: HTMLElement, options: ServicesPageOptions) {
    const problem = (id: string): ProblemNotice =>
      new ProblemNotice({
        id,
        describe: options.describe,
        signInWithRedirect: () => options.signInWithRedirect(),
      });
    this.#groups = new GroupsPanel({ groups: options.groups, problem: problem("groups-problem") });
    this.#search = new SearchPanel({
      search: options.search,
      indexId: options.config.searchIndex,
      facets: options.config.searchFacets,
      problem: problem("search-problem"),
    });
    this.#flow = new FlowPanel({
      flows: options.flows,
      flow: options.flow,
      input: options.config.flowInput,
      problem: problem("flow-problem"),
      consent: new ConsentNotice({
        id: "flow-consent",
        signInWithRedirect: options.signInWithRedirect,
        signInWithPopup: options.signInWithPopup,
      }),
    });
    element.append(this.#groups.element, this.#search.element, this.#flow.element);
  }

  /** Signed in and on this page: the first time, lists the groups, searches, and resumes the flow panel. */
  async show(): Promise<void> {
    if (this.#shown) return;
    this.#shown = true;
    await Promise.all([this.#groups.load(), this.#search.search(), this.#flow.show()]);
  }

  /**
   * Signed out: forget everything shown, and what the flow panel kept in sessionStorage even when
   * this page was not open (the next person sees none of it).
   */
  hide(): void {
    this.#shown = false;
    this.#groups.clear();
    this.#search.clear();
    this.#flow.hide();
  }
}
