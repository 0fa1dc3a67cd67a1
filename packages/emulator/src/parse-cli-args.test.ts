import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_USAGE, CliUsageError, DEFAULT_CLI_PORT, parseCliArgs } from "./parse-cli-args.ts";
import { runCli } from "./run-cli.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import type { EmulatorOptions } from "./start-emulator.ts";

describe("parseCliArgs", () => {
  it("defaults to port 8700 and the sample clients", () => {
    expect(parseCliArgs([])).toEqual({
      kind: "start",
      options: {
        port: DEFAULT_CLI_PORT,
        transferPort: DEFAULT_CLI_PORT + 1,
        groupsPort: DEFAULT_CLI_PORT + 2,
        searchPort: DEFAULT_CLI_PORT + 3,
        flowsPort: DEFAULT_CLI_PORT + 4,
        timerPort: DEFAULT_CLI_PORT + 5,
        computePort: DEFAULT_CLI_PORT + 6,
        autoApprove: false,
      },
    });
    expect(DEFAULT_CLI_PORT).toBe(8700);
  });

  it("reads every flag, in both spellings", () => {
    const command = parseCliArgs([
      "--port",
      "0",
      "--host=0.0.0.0",
      "--client",
      "native-id",
      "--client=conf-id:se:cret",
      "--redirect-uri",
      "https://app.example/cb",
      "--redirect-uri=http://localhost:3000/cb",
      "--auto-approve",
      "--access-token-lifetime",
      "3600",
      "--state-file=/tmp/emulator.json",
    ]);
    expect(command).toEqual({
      kind: "start",
      options: {
        port: 0,
        transferPort: 0,
        groupsPort: 0,
        searchPort: 0,
        flowsPort: 0,
        timerPort: 0,
        computePort: 0,
        host: "0.0.0.0",
        clients: [{ id: "native-id" }, { id: "conf-id", secret: "se:cret" }],
        redirectUris: ["https://app.example/cb", "http://localhost:3000/cb"],
        autoApprove: true,
        accessTokenLifetime: 3600,
        stateFile: "/tmp/emulator.json",
      },
    });
  });

  it("reads --allow-origin (repeatable, normalised) and --unsafe-non-loopback-host", () => {
    const command = parseCliArgs([
      "--allow-origin",
      "http://localhost:3000",
      "--allow-origin=HTTPS://Tools.Example:443/",
      "--host",
      "0.0.0.0",
      "--unsafe-non-loopback-host",
    ]);
    expect(command).toEqual({
      kind: "start",
      options: {
        port: DEFAULT_CLI_PORT,
        transferPort: DEFAULT_CLI_PORT + 1,
        groupsPort: DEFAULT_CLI_PORT + 2,
        searchPort: DEFAULT_CLI_PORT + 3,
        flowsPort: DEFAULT_CLI_PORT + 4,
        timerPort: DEFAULT_CLI_PORT + 5,
        computePort: DEFAULT_CLI_PORT + 6,
        host: "0.0.0.0",
        unsafeNonLoopbackHost: true,
        allowedOrigins: ["http://localhost:3000", "https://tools.example"],
        autoApprove: false,
      },
    });
    expect(CLI_USAGE).toContain("--allow-origin <origin>");
    expect(CLI_USAGE).toContain("--unsafe-non-loopback-host");
  });

  it("puts the fake Transfer on the next port, or where --transfer-port says", () => {
    const options = (argv: string[]) => (parseCliArgs(argv) as { options: EmulatorOptions }).options;
    expect(options(["--port", "9000"])).toMatchObject({ port: 9000, transferPort: 9001 });
    expect(options(["--port", "65535"])).toMatchObject({ transferPort: 0 });
    expect(options(["--transfer-port=9100"])).toMatchObject({ port: DEFAULT_CLI_PORT, transferPort: 9100 });
    expect(() => parseCliArgs(["--transfer-port", "70000"])).toThrow(CliUsageError);
    expect(CLI_USAGE).toContain("--transfer-port <n>");
  });

  it("puts the fake Groups and Search on the ports after, or where --groups-port and --search-port say", () => {
    const options = (argv: string[]) => (parseCliArgs(argv) as { options: EmulatorOptions }).options;
    expect(options(["--port", "9000"])).toMatchObject({ groupsPort: 9002, searchPort: 9003 });
    expect(options(["--port", "65533"])).toMatchObject({
      transferPort: 65534,
      groupsPort: 65535,
      searchPort: 0,
    });
    expect(options(["--groups-port=9200", "--search-port", "9300"])).toMatchObject({
      port: DEFAULT_CLI_PORT,
      transferPort: DEFAULT_CLI_PORT + 1,
      groupsPort: 9200,
      searchPort: 9300,
    });
    expect(() => parseCliArgs(["--groups-port", "x"])).toThrow(CliUsageError);
    expect(() => parseCliArgs(["--search-port", "65536"])).toThrow(CliUsageError);
    expect(CLI_USAGE).toContain("--groups-port <n>");
    expect(options(["--flows-port", "9400"])).toMatchObject({ flowsPort: 9400 });
    expect(options(["--timer-port", "9500"])).toMatchObject({ timerPort: 9500 });
    expect(options(["--compute-port", "9600"])).toMatchObject({ computePort: 9600 });
    expect(CLI_USAGE).toContain("--search-port <n>");
  });

  it("asks for help", () => {
    expect(parseCliArgs(["--port", "1", "--help"])).toEqual({ kind: "help" });
    expect(parseCliArgs(["-h"])).toEqual({ kind: "help" });
    expect(CLI_USAGE).toContain("--access-token-lifetime <seconds>");
  });

  it.each([
    [["--bogus"]],
    [["positional"]],
    [["--port"]],
    [["--port", "--auto-approve"]],
    [["--port", "abc"]],
    [["--port", "70000"]],
    [["--port", "-1"]],
    [["--client", ""]],
    [["--client", ":secret"]],
    [["--client", "id:"]],
    [["--redirect-uri", "not a url"]],
    [["--access-token-lifetime", "0"]],
    [["--access-token-lifetime", "1.5"]],
    [["--auto-approve=yes"]],
    [["--state-file="]],
    [["--host="]],
    [["--allow-origin"]],
    [["--allow-origin", "*"]],
    [["--allow-origin", "null"]],
    [["--allow-origin", "http://localhost:3000/app"]],
    [["--allow-origin", "localhost:3000"]],
    [["--unsafe-non-loopback-host=yes"]],
  ])("rejects %j", (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
  });
});

describe("runCli", () => {
  const capture = () => {
    let text = "";
    return { write: (chunk: string) => (text += chunk), text: () => text };
  };

  it("prints the banner, prints the sample secret only, and stops on the signal", async () => {
    const stdout = capture();
    const stderr = capture();
    let stop: () => void = () => {};
    const stopSignal = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const exit = runCli(["--port", "0", "--auto-approve"], { stdout, stderr, stopSignal });
    // Four servers start before the banner: give a loaded machine time.
    await expect.poll(() => stdout.text(), { timeout: 10_000 }).toContain("Press Ctrl+C");
    const lines = stdout.text().split("\n");
    expect(lines[0]).toMatch(/^Globus Auth emulator listening on http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stdout.text()).toContain(`${SAMPLE_NATIVE_CLIENT.id}  native`);
    expect(stdout.text()).toContain(`secret: ${SAMPLE_CONFIDENTIAL_CLIENT.secret}`);
    expect(stdout.text()).toContain("ada@example.org");
    expect(stdout.text()).toContain("skipped");
    stop();
    expect(await exit).toBe(0);
    expect(stderr.text()).toBe("");

    const own = capture();
    const ownExit = runCli(["--port", "0", "--client", "mine:top-secret-value"], {
      stdout: own,
      stderr,
      stopSignal: Promise.resolve(),
    });
    expect(await ownExit).toBe(0);
    expect(own.text()).toContain("mine  confidential");
    expect(own.text()).not.toContain("top-secret-value");
  });

  it("refuses to listen beyond loopback without --unsafe-non-loopback-host, and warns with it", async () => {
    const stdout = capture();
    const refused = capture();
    const args = ["--port", "0", "--host", "0.0.0.0"];
    expect(await runCli(args, { stdout, stderr: refused, stopSignal: Promise.resolve() })).toBe(1);
    expect(refused.text()).toContain("--unsafe-non-loopback-host");
    expect(stdout.text()).toBe("");
    // Past the check the listen itself decides: this documentation address is nobody's.
    const warned = capture();
    const unsafe = ["--port", "0", "--host", "203.0.113.1", "--unsafe-non-loopback-host"];
    expect(await runCli(unsafe, { stdout, stderr: warned, stopSignal: Promise.resolve() })).toBe(1);
    expect(warned.text()).toMatch(/WARNING/);
    expect(warned.text()).not.toContain("refusing");
  });

  it("exits 2 on bad arguments, 0 on --help, 1 when it cannot start", async () => {
    const stdout = capture();
    const stderr = capture();
    expect(await runCli(["--nope"], { stdout, stderr })).toBe(2);
    expect(stderr.text()).toContain("unknown argument '--nope'");
    expect(await runCli(["--help"], { stdout, stderr })).toBe(0);
    expect(stdout.text()).toBe(CLI_USAGE);
    const failing = capture();
    expect(
      await runCli(["--port", "0", "--host", "203.0.113.1", "--unsafe-non-loopback-host"], {
        stdout,
        stderr: failing,
        stopSignal: Promise.resolve(),
      }),
    ).toBe(1);
    expect(failing.text()).toContain("cannot start");
  });
});

describe("bin/globus-auth-emulator.js", () => {
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const bin = join(packageDir, "bin", "globus-auth-emulator.js");

  // The bin runs the build; build it only when it is missing or older than the sources.
  beforeAll(() => {
    const sources = readdirSync(join(packageDir, "src")).filter(
      (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
    );
    const stale = sources.some((name) => {
      const built = join(packageDir, "dist", name.replace(/\.ts$/, ".js"));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(packageDir, "src", name)).mtimeMs;
    });
    if (stale) {
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      execFileSync(process.execPath, [tsc, "-b", packageDir], { stdio: "inherit", timeout: 120_000 });
    }
  }, 120_000);

  const run = (args: string[]): ChildProcess =>
    spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const exitCode = (child: ChildProcess): Promise<number | null> =>
    new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const firstLine = (child: ChildProcess): Promise<string> =>
    new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      lines.once("line", (line) => {
        lines.close();
        resolve(line);
      });
      child.once("exit", () => reject(new Error("exited before printing")));
    });

  it.each(["SIGTERM", "SIGINT"] as const)("serves until %s, then exits 0", async (signal) => {
    const child = run(["--port", "0", "--client", "cli-native", "--redirect-uri", "https://app.example/cb"]);
    const exited = exitCode(child);
    const line = await firstLine(child);
    const url = /^Globus Auth emulator listening on (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line)?.[1];
    expect(url, line).toBeDefined();
    const config = (await (await fetch(`${url}.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    expect(config.issuer).toBe((url as string).slice(0, -1));
    child.kill(signal);
    expect(await exited).toBe(0);
  });

  it("exits 2 with a message for a bad flag", async () => {
    const child = run(["--port", "nope"]);
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain("--port expects a whole number");
  });
});
