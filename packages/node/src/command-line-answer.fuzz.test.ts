import {
  type AuthLoginClient,
  type AuthorizationRequest,
  isLoginCallback,
  loginCallbackState,
  type TokenResponse,
} from "@globus-app/core";
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
 * What the person pasted at the command-line prompt → the authorization code the flow exchanges,
 * or a typed error: runLoginFlow with every other step stubbed. `pkce` says whether the login has a
 * PKCE verifier (native clients), which decides whether a bare code is accepted.
 */
async function codeFromPastedAnswer(answer: string, pkce: boolean): Promise<string> {
  return new PastedAnswerFlow(answer, pkce).run();
}

const stubClient = {
  isConfidential: false,
  issuer: "https://auth.globus.org",
  defaultNativeRedirectUri: "https://auth.globus.org/v2/web/auth-code",
} as unknown as AuthLoginClient;

class PastedAnswerFlow extends CommandLineLoginFlowManager {
  #code: string | undefined;
  constructor(
    readonly answer: string,
    readonly pkce: boolean,
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
      state: EXPECTED_STATE,
      codeVerifier: this.pkce ? "v".repeat(43) : null,
      redirectUri: "",
    };
  }
  override printAuthorizeUrl(): void {}
  override async promptForCode(): Promise<string> {
    // promptForCode trims what was typed; the flow sees the trimmed line.
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
  it("a pasted callback gives its code only with our state; a bare code only when PKCE binds it", async () => {
    await fc.assert(
      fc.asyncProperty(callbackInput, fc.boolean(), async (answer, pkce) => {
        const outcome = await expectTypedOutcomeAsync(
          () => codeFromPastedAnswer(answer, pkce),
          (code) => typeof code === "string" && code !== "",
        );
        if (!outcome.ok) return;
        const line = answer.trim();
        if (isLoginCallback(line)) {
          // Read with the shared rules: one state, ours, and no error.
          expect(loginCallbackState(line)).toBe(EXPECTED_STATE);
        } else {
          expect(pkce).toBe(true);
          expect(outcome.value).toBe(line);
        }
      }),
      fuzzParams(200),
    );
  });
});
