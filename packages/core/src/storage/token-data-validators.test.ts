import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadLoginMachinery } from "../auth/load-login-machinery.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import {
  isExpiredTokenError,
  isIdentityMismatchError,
  isMissingIdentityError,
  isMissingTokenError,
  isUnmetScopeRequirementsError,
} from "../errors/token-validation-errors.ts";
import type { ScopeLike } from "../scopes/scope.ts";
import {
  type ConsentChecker,
  HasRefreshTokensValidator,
  NotExpiredValidator,
  ScopeRequirementsValidator,
  type TokenValidationContext,
  UnchangingIdentityIDValidator,
} from "./token-data-validators.ts";
import type { TokenStorageData } from "./token-storage-data.ts";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const GROUPS = "groups.api.globus.org";
const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";
const COLLECTION_A = "0d5bd5a6-16b7-4f0c-a4c6-6a9b2c8f4a01";
const COLLECTION_B = "7e2c9a4f-3b1d-4e8a-9c6f-2d4b8a1e5f02";
const dataAccess = (collection: string) => `*https://auth.globus.org/scopes/${collection}/data_access`;
const ADA = SAMPLE_IDENTITIES[0]?.id ?? "";
const GRACE = SAMPLE_IDENTITIES[1]?.id ?? "";

function token(resourceServer: string, fields: Partial<TokenStorageData> = {}): TokenStorageData {
  return {
    resource_server: resourceServer,
    identity_id: ADA,
    scope: resourceServer === TRANSFER ? TRANSFER_ALL : GROUPS_ALL,
    access_token: `access-${resourceServer}`,
    refresh_token: `refresh-${resourceServer}`,
    expires_at_seconds: 1_900_000_000,
    token_type: "Bearer",
    ...fields,
  };
}

const context = (
  priorIdentityId: string | null,
  tokenDataIdentityId: string | null = priorIdentityId,
): TokenValidationContext => ({ priorIdentityId, tokenDataIdentityId });

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("the validator accepted the records");
}

describe("NotExpiredValidator", () => {
  afterEach(() => vi.useRealTimers());

  it("accepts a token through its expiry second and refuses it after, naming when it expired", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_900_000_000_000 });
    const validator = new NotExpiredValidator();
    validator.afterRetrieve({ [TRANSFER]: token(TRANSFER, { expires_at_seconds: 1_900_000_000 }) });
    vi.setSystemTime(1_900_000_000_001);
    const error = failure(() =>
      validator.afterRetrieve({
        [GROUPS]: token(GROUPS, { expires_at_seconds: 1_900_000_060 }),
        [TRANSFER]: token(TRANSFER, { expires_at_seconds: 1_900_000_000 }),
      }),
    );
    expect(isExpiredTokenError(error)).toBe(true);
    expect(error).toMatchObject({ expiresAtSeconds: 1_900_000_000 });
  });
});

describe("HasRefreshTokensValidator", () => {
  it("refuses records without a refresh token, naming the resource server (never a token)", () => {
    const validator = new HasRefreshTokensValidator();
    validator.afterRetrieve({ [TRANSFER]: token(TRANSFER), [GROUPS]: token(GROUPS) });
    const error = failure(() =>
      validator.afterRetrieve({
        [TRANSFER]: token(TRANSFER),
        [GROUPS]: token(GROUPS, { refresh_token: null }),
      }),
    );
    expect(isMissingTokenError(error)).toBe(true);
    expect(error).toMatchObject({ resourceServer: GROUPS, message: `No refresh_token for ${GROUPS}` });
    expect(JSON.stringify(error) + String(error)).not.toContain("access-");
  });
});

describe("UnchangingIdentityIDValidator", () => {
  const validator = new UnchangingIdentityIDValidator();
  const data = { [TRANSFER]: token(TRANSFER) };

  it("takes tokens of the stored identity, or of anyone when none is stored", () => {
    validator.beforeStore(data, context(ADA));
    validator.beforeStore(data, context(null, GRACE));
  });

  it("refuses tokens without an identity, or of another identity than the stored one", () => {
    expect(isMissingIdentityError(failure(() => validator.beforeStore(data, context(ADA, null))))).toBe(true);
    expect(isMissingIdentityError(failure(() => validator.beforeStore(data, context(null, null))))).toBe(
      true,
    );
    const error = failure(() => validator.beforeStore(data, context(ADA, GRACE)));
    expect(isIdentityMismatchError(error)).toBe(true);
    expect(error).toMatchObject({ storedId: ADA, newId: GRACE });
  });
});

describe("ScopeRequirementsValidator: root scopes", () => {
  it("refuses a token missing a required root scope, on store and on read, listing the requirements", async () => {
    const validator = new ScopeRequirementsValidator(() => ({
      [TRANSFER]: [TRANSFER_ALL],
      [GROUPS]: [`${GROUPS_ALL} openid`],
    }));
    const short = { [GROUPS]: token(GROUPS) };
    for (const check of [
      () => validator.beforeStore(short),
      () => validator.afterRetrieve(short, context(ADA)),
    ]) {
      const error = await Promise.resolve()
        .then(check)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isUnmetScopeRequirementsError(error)).toBe(true);
      expect(error).toMatchObject({
        message: "Unmet scope requirements",
        scopeRequirements: { [TRANSFER]: [TRANSFER_ALL], [GROUPS]: [`${GROUPS_ALL} openid`] },
      });
    }
    // Granted among others, in any order: met.
    const granted = { [GROUPS]: token(GROUPS, { scope: `email openid ${GROUPS_ALL}` }) };
    validator.beforeStore(granted);
    await validator.afterRetrieve(granted, context(ADA));
  });

  it("checks a token against the requirements of its own resource server only, as they are now", () => {
    const requirements: Record<string, ScopeLike[]> = { [TRANSFER]: [TRANSFER_ALL] };
    const validator = new ScopeRequirementsValidator(() => requirements);
    // No requirement for Groups: any scope will do.
    validator.beforeStore({ [GROUPS]: token(GROUPS, { scope: "something-else" }) });
    requirements[GROUPS] = [GROUPS_ALL];
    expect(
      isUnmetScopeRequirementsError(
        failure(() => validator.beforeStore({ [GROUPS]: token(GROUPS, { scope: "something-else" }) })),
      ),
    ).toBe(true);
  });
});

describe("ScopeRequirementsValidator: dependent scopes against the consents API", () => {
  let emu: Emulator;
  let loginClient: NativeAppAuthClient;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.control.resetCounts());

  /** Consents as an app reads them: Globus Auth's consents API, with an Auth token of the identity. */
  function consentsApi(): ConsentChecker {
    return {
      fetch: async (identityId) => {
        const auth = emu.control.issueTokens({
          clientId: SAMPLE_NATIVE_CLIENT.id,
          scope: "openid",
          identity: identityId,
        });
        const body = await loginClient.getJSON(
          `v2/api/identities/${encodeURIComponent(identityId)}/consents?all=false`,
          `Bearer ${auth.access_token}`,
        );
        return (await loadLoginMachinery()).consentChecker(body);
      },
    };
  }

  const consentFetches = () => emu.control.requestCounts().consents ?? 0;
  /** Ada has consented to Transfer with data_access on collection A (and Grace too). */
  function consentToCollectionA(identity: string): void {
    emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `${TRANSFER_ALL}[${dataAccess(COLLECTION_A)}]`,
      identity,
    });
  }

  it("reads consents once, and again only for another identity, after clearCache, or when they fall short", async () => {
    consentToCollectionA(ADA);
    consentToCollectionA(GRACE);
    const requirements: Record<string, ScopeLike[]> = {
      [TRANSFER]: [`${TRANSFER_ALL}[${dataAccess(COLLECTION_A)}]`],
    };
    const validator = new ScopeRequirementsValidator(() => requirements, consentsApi());
    const data = { [TRANSFER]: token(TRANSFER) };
    await validator.afterRetrieve(data, context(ADA));
    await validator.afterRetrieve(data, context(ADA));
    expect(consentFetches()).toBe(1);
    await validator.afterRetrieve(data, context(ADA, GRACE));
    expect(consentFetches()).toBe(2);
    await validator.afterRetrieve(data, context(GRACE));
    expect(consentFetches()).toBe(2);
    validator.clearCache();
    await validator.afterRetrieve(data, context(GRACE));
    expect(consentFetches()).toBe(3);

    // A requirement the cached consents do not meet: read again, and still unmet.
    requirements[TRANSFER] = [`${TRANSFER_ALL}[${dataAccess(COLLECTION_B)}]`];
    const error = await validator.afterRetrieve(data, context(GRACE)).catch((e: unknown) => e);
    expect(consentFetches()).toBe(4);
    expect(isUnmetScopeRequirementsError(error)).toBe(true);
    expect(error).toMatchObject({
      message: "Unmet dependent scope requirements",
      scopeRequirements: { [TRANSFER]: [`${TRANSFER_ALL}[${dataAccess(COLLECTION_B)}]`] },
    });
    // The answer read last is the cache: a later check reads consents again (it fell short).
    await validator.afterRetrieve(data, context(GRACE)).catch(() => undefined);
    expect(consentFetches()).toBe(5);
  });

  it("checks the dependent scopes of the record's own resource server only", async () => {
    const validator = new ScopeRequirementsValidator(
      () => ({ [TRANSFER]: [`${TRANSFER_ALL}[${dataAccess(COLLECTION_B)}]`], [GROUPS]: [GROUPS_ALL] }),
      consentsApi(),
    );
    await validator.afterRetrieve({ [GROUPS]: token(GROUPS) }, context(ADA));
    expect(consentFetches()).toBe(0);
    const error = await validator
      .afterRetrieve({ [GROUPS]: token(GROUPS), [TRANSFER]: token(TRANSFER) }, context(ADA))
      .catch((e: unknown) => e);
    expect(isUnmetScopeRequirementsError(error)).toBe(true);
    expect(consentFetches()).toBe(1);
  });

  it("cannot check dependent scopes without an identity or a way to read consents, and lets them pass", async () => {
    const requirements = { [TRANSFER]: [`${TRANSFER_ALL}[${dataAccess(COLLECTION_B)}]`] };
    const data = { [TRANSFER]: token(TRANSFER) };
    await new ScopeRequirementsValidator(() => requirements, consentsApi()).afterRetrieve(
      data,
      context(null),
    );
    await new ScopeRequirementsValidator(() => requirements).afterRetrieve(data, context(ADA));
    expect(consentFetches()).toBe(0);
  });
});
