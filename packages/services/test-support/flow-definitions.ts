// Sample flow definitions of the Flows tests, in Node and in the browser: plain data, no emulator
// import, so that a page can load them.

/** A definition of `count` Pass states in a row (each takes the emulator a second). */
export function passDefinition(count: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let n = 1; n <= count; n++) {
    states[`Step${n}`] = n === count ? { Type: "Pass", End: true } : { Type: "Pass", Next: `Step${n + 1}` };
  }
  return { StartAt: "Step1", States: states };
}

/** A definition whose one state is a Transfer action: running it needs Transfer consent under the flow's scope. */
export const TRANSFER_DEFINITION = {
  StartAt: "Copy",
  States: {
    Copy: {
      Type: "Action",
      ActionUrl: "https://transfer.actions.globus.org/transfer",
      Parameters: {
        "source_endpoint.$": "$.source",
        "destination_endpoint.$": "$.destination",
        DATA: [{ source_path: "/~/", destination_path: "/~/flow-copy/", recursive: true }],
      },
      End: true,
    },
  },
};
