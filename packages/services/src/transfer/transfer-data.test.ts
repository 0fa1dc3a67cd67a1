import { isGlobusSDKUsageError } from "@globus-app/core";
import { describe, expect, it } from "vitest";
import { DeleteData } from "./delete-data.ts";
import { formatTransferFilter } from "./transfer-client.ts";
import { TransferData } from "./transfer-data.ts";

const SRC = "ddb59aef-6d04-11e5-ba46-22000b92c6ec";
const DST = "ddb59af0-6d04-11e5-ba46-22000b92c6ec";

describe("TransferData", () => {
  it("builds Transfer's documented transfer document, with the Python SDK's defaults", () => {
    // Transfer's example task (a file, a recursive directory, a symlink) as the Python SDK's
    // TransferData(tc, src, dst, label=…, sync_level="checksum", verify_checksum=True) produces it.
    const data = new TransferData({
      sourceEndpoint: SRC,
      destinationEndpoint: DST,
      label: "SDK example",
      submissionId: "3c2a8f6e-7b1d-11ef-9f3a-0242ac120002",
      syncLevel: "checksum",
      verifyChecksum: true,
    })
      .addItem("/share/godata/file1.txt", "/~/file1.txt", {
        externalChecksum: "d41d8cd98f00b204e9800998ecf8427e",
        checksumAlgorithm: "MD5",
      })
      .addItem("/share/godata/", "/~/godata/", { recursive: true })
      .addSymlinkItem("/share/godata/link", "/~/link");
    expect(JSON.parse(JSON.stringify(data))).toEqual({
      DATA_TYPE: "transfer",
      submission_id: "3c2a8f6e-7b1d-11ef-9f3a-0242ac120002",
      source_endpoint: SRC,
      destination_endpoint: DST,
      label: "SDK example",
      sync_level: 3,
      verify_checksum: true,
      preserve_timestamp: false,
      encrypt_data: false,
      skip_source_errors: false,
      fail_on_quota_errors: false,
      recursive_symlinks: "ignore",
      delete_destination_extra: false,
      notify_on_succeeded: true,
      notify_on_failed: true,
      notify_on_inactive: true,
      DATA: [
        {
          DATA_TYPE: "transfer_item",
          source_path: "/share/godata/file1.txt",
          destination_path: "/~/file1.txt",
          external_checksum: "d41d8cd98f00b204e9800998ecf8427e",
          checksum_algorithm: "MD5",
        },
        {
          DATA_TYPE: "transfer_item",
          source_path: "/share/godata/",
          destination_path: "/~/godata/",
          recursive: true,
        },
        {
          DATA_TYPE: "transfer_symlink_item",
          source_path: "/share/godata/link",
          destination_path: "/~/link",
        },
      ],
    });
  });

  it("maps every option to its field, filter rules included, and leaves absent ones out", () => {
    const deadline = new Date("2030-01-02T03:04:05Z");
    const json = new TransferData({
      sourceEndpoint: SRC,
      destinationEndpoint: DST,
      syncLevel: 1,
      preserveTimestamp: true,
      encryptData: true,
      deadline,
      skipSourceErrors: true,
      failOnQuotaErrors: true,
      recursiveSymlinks: "keep",
      deleteDestinationExtra: true,
      notifyOnSucceeded: false,
      notifyOnFailed: false,
      notifyOnInactive: false,
      sourceLocalUser: "ada",
      destinationLocalUser: "alan",
      additionalFields: { store_base_path_info: true },
    })
      .addFilterRule("*.tmp")
      .addFilterRule("keep-me", { method: "include", type: "dir" })
      .toJSON();
    expect(json).toMatchObject({
      sync_level: 1,
      preserve_timestamp: true,
      encrypt_data: true,
      deadline: "2030-01-02T03:04:05.000Z",
      skip_source_errors: true,
      fail_on_quota_errors: true,
      recursive_symlinks: "keep",
      delete_destination_extra: true,
      notify_on_succeeded: false,
      notify_on_failed: false,
      notify_on_inactive: false,
      source_local_user: "ada",
      destination_local_user: "alan",
      store_base_path_info: true,
      filter_rules: [
        { DATA_TYPE: "filter_rule", method: "exclude", name: "*.tmp" },
        { DATA_TYPE: "filter_rule", method: "include", type: "dir", name: "keep-me" },
      ],
      DATA: [],
    });
    const bare = new TransferData({ sourceEndpoint: SRC, destinationEndpoint: DST }).toJSON();
    for (const absent of ["label", "sync_level", "deadline", "submission_id", "filter_rules"]) {
      expect(bare).not.toHaveProperty(absent);
    }
    expect(
      ["exists", "size", "mtime", "checksum"].map(
        (level) =>
          new TransferData({
            sourceEndpoint: SRC,
            destinationEndpoint: DST,
            syncLevel: level as "size",
          }).toJSON().sync_level,
      ),
    ).toEqual([0, 1, 2, 3]);
  });

  it("refuses an unknown sync level and an invalid deadline", () => {
    const make = (options: object) => () =>
      new TransferData({ sourceEndpoint: SRC, destinationEndpoint: DST, ...options });
    for (const bad of [{ syncLevel: 4 }, { syncLevel: "newest" }, { deadline: new Date(Number.NaN) }]) {
      let error: unknown;
      try {
        make(bad)();
      } catch (e) {
        error = e;
      }
      expect(isGlobusSDKUsageError(error)).toBe(true);
    }
  });
});

describe("DeleteData", () => {
  it("builds Transfer's delete document with the Python SDK's defaults", () => {
    const data = new DeleteData({ endpoint: SRC, label: "clean up", recursive: true, submissionId: "s-1" })
      .addItem("/~/old/")
      .addItem("/~/older.txt");
    expect(data.toJSON()).toEqual({
      DATA_TYPE: "delete",
      submission_id: "s-1",
      endpoint: SRC,
      label: "clean up",
      recursive: true,
      ignore_missing: false,
      interpret_globs: false,
      notify_on_succeeded: true,
      notify_on_failed: true,
      notify_on_inactive: true,
      DATA: [
        { DATA_TYPE: "delete_item", path: "/~/old/" },
        { DATA_TYPE: "delete_item", path: "/~/older.txt" },
      ],
    });
    expect(
      new DeleteData({ endpoint: SRC, ignoreMissing: true, interpretGlobs: true, localUser: "ada" }).toJSON(),
    ).toMatchObject({
      recursive: false,
      ignore_missing: true,
      interpret_globs: true,
      local_user: "ada",
    });
  });
});

describe("Transfer filters", () => {
  it("formats strings, records and lists as the Python SDK does", () => {
    expect(formatTransferFilter("status:ACTIVE")).toBe("status:ACTIVE");
    expect(formatTransferFilter({ status: ["ACTIVE", "INACTIVE"], label: "~nightly*" })).toBe(
      "status:ACTIVE,INACTIVE/label:~nightly*",
    );
    expect(formatTransferFilter([{ type: "file" }, "name:~*.csv"])).toBe("type:file/name:~*.csv");
    expect(formatTransferFilter(undefined)).toBeUndefined();
  });
});
