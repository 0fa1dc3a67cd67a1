import { type Emulator, SAMPLE_INDEX_ID, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchAs } from "../../test-support/search-fixture.ts";
import { SearchQuery, SearchScrollQuery } from "./search-query.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const subjects = (page: { gmeta: { subject: string }[] }) => page.gmeta.map((result) => result.subject);

describe("SearchQuery's setters against the emulator's Search", () => {
  it("setQuery, setAdvanced, setLimit and setOffset choose what postSearch answers", async () => {
    const ada = searchAs(emu);
    const everything = await ada.postSearch(
      SAMPLE_INDEX_ID,
      new SearchQuery("instrument:cryo-em", { advanced: true, limit: 100 }).addSort("size_gb", "asc"),
    );
    expect(everything.total).toBeGreaterThan(2);
    const query = new SearchQuery("*")
      .setQuery("instrument:cryo-em")
      .setAdvanced(true)
      .setLimit(2)
      .setOffset(1)
      .addSort("size_gb", "asc");
    expect(query.toJSON()).toEqual({
      q: "instrument:cryo-em",
      advanced: true,
      limit: 2,
      offset: 1,
      sort: [{ field_name: "size_gb", order: "asc" }],
    });
    const page = await ada.postSearch(SAMPLE_INDEX_ID, query);
    expect([page.total, page.count, page.offset]).toEqual([everything.total, 2, 1]);
    expect(subjects(page)).toEqual(subjects(everything).slice(1, 3));
    expect(page.gmeta.every((result) => result.entries[0]?.content.instrument === "cryo-em")).toBe(true);
    // The request carried the document as built.
    expect(emu.control.requestLog(1)[0]).toMatchObject({
      method: "POST",
      path: `/search/v1/index/${SAMPLE_INDEX_ID}/search`,
    });
  });

  it("SearchScrollQuery.setMarker asks for the page after the one that named the marker", async () => {
    const ada = searchAs(emu);
    const first = await ada.scroll(SAMPLE_INDEX_ID, new SearchScrollQuery("*").setLimit(5));
    expect([first.count, first.has_next_page]).toEqual([5, true]);
    const second = await ada.scroll(
      SAMPLE_INDEX_ID,
      new SearchScrollQuery("*", { limit: 5 }).setMarker(first.marker as string),
    );
    const third = await ada.scroll(
      SAMPLE_INDEX_ID,
      new SearchScrollQuery("*", { limit: 5 }).setMarker(second.marker as string),
    );
    expect([second.count, third.count, third.has_next_page, third.marker]).toEqual([5, 2, false, null]);
    const all = [...subjects(first), ...subjects(second), ...subjects(third)];
    expect(new Set(all).size).toBe(12);
    expect(new SearchScrollQuery("*").setMarker("m").toJSON()).toEqual({ q: "*", marker: "m" });
  });
});
