import type { AuthLoginClient, AuthorizationRequest, TokenResponse } from "@globus-app/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  callbackInput,
  EXPECTED_STATE,
  expectTypedOutcomeAsync,
  fuzzParams,
} from "../../core/test-support/fuzz.ts";
import { CommandLineLoginFlowManager } from "./command-line-login-flow-manager.ts";

/**
 * The parser under test, behind one adapter: what the person pasted at the command-line prompt →
 * the authorization code, or a typed error. Today that is the flow's private codeFromAnswer,
 * reached through runLoginFlow with every other step stubbed; once core's shared callback parser
 * lands, re-point this one function at it.
 */
async function codeFromPastedAnswer(answer: string, expectedState: string): Promise<string> {
  return new PastedAnswerFlow(answer, expectedState).run();
}

const stubClient = {
  isConfidential: false,
  defaultNativeRedirectUri: "https://auth.globus.org/v2/web/auth-code",
} as unknown as AuthLoginClient;

class PastedAnswerFlow extends CommandLineLoginFlowManager {
  #code: string | undefined;
  constructor(
    readonly answer: string,
    readonly expectedState: string,
  ) {
    super(stubClient);
  }
  async run(): Promise<string> {
    await this.runLoginFlow({});
    return this.#code as string;
  }
  protected override async startAuthorization(): Promise<AuthorizationRequest> {
    return {
      url: "https://auth.example/authorize",
      state: this.expectedState,
      codeVerifier: null,
      redirectUri: "",
    };
  }
  override printAuthorizeUrl(): void {}
  override async promptForCode(): Promise<string> {
    // promptForCode trims what was typed; the parser sees the trimmed line.
    return this.answer.trim();
  }
  protected override async exchangeCode(
    _request: AuthorizationRequest,
    code: string,
  ): Promise<TokenResponse> {
    this.#code = code;
    return {} as TokenResponse;
  }
}

describe("command-line pasted answers under fuzzing", () => {
  it("a pasted answer gives a code or a typed login error; a URL's code only with the right state", async () => {
    await fc.assert(
      fc.asyncProperty(callbackInput, async (answer) => {
        const outcome = await expectTypedOutcomeAsync(
          () => codeFromPastedAnswer(answer, EXPECTED_STATE),
          (code) => typeof code === "string",
        );
        if (!outcome.ok) return;
        let url: URL | undefined;
        try {
          url = /^https?:\/\//i.test(answer.trim()) ? new URL(answer.trim()) : undefined;
        } catch {
          url = undefined;
        }
        const query = url?.searchParams;
        if (query && (query.has("code") || query.has("error"))) {
          // A redirect URL was accepted: it carried no state or ours, and the code is its own.
          const state = query.get("state");
          expect(state === null || state === EXPECTED_STATE).toBe(true);
          expect(outcome.value).toBe(query.get("code") ?? "");
        }
      }),
      fuzzParams(200),
    );
  });
});
