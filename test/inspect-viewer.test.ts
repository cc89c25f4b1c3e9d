import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { runCli, tempDir } from "./helpers.ts";

/**
 * `strata export --format inspect` opened in Inspect's own log viewer: the viewer of inspect_ai
 * (src/inspect_ai/_view/www, published to npm as @metrevals/inspect-log-viewer), bundled with its
 * React and driven in Debian's chromium. Python's read_eval_log cannot be installed here (PyPI is
 * unreachable; test/exports.test.ts runs it wherever inspect_ai is installed), so this is the
 * reader of Inspect's that runs in CI. The viewer does not validate the schema (the strict zod
 * model in core/model/inspect-eval-log.ts does that); this checks that what it shows is our log:
 * every sample, its score, its input and the scorer's explanation, with no error anywhere.
 *
 * .ci/run installs the viewer with `npm install --prefix test/inspect-viewer`; the quick start does
 * not (about 170 MB). Missing, the test is skipped, except under CI=true, where it fails.
 */
const VIEWER = join(import.meta.dir, "inspect-viewer");
const CHROMIUM = "/usr/bin/chromium";
const missing = [
  existsSync(join(VIEWER, "node_modules/@metrevals/inspect-log-viewer/package.json")) ? null : `the viewer (npm install --prefix ${VIEWER})`,
  existsSync(CHROMIUM) ? null : `${CHROMIUM} (apt-get install -y chromium)`,
].filter((m): m is string => m !== null);
if (missing.length > 0) {
  if (process.env.CI === "true") throw new Error(`inspect-viewer: CI=true requires ${missing.join(" and ")}`);
  console.warn(`inspect-viewer: SKIPPED, missing ${missing.join(" and ")}`);
}

/** The viewer asks for these optional files next to the log and treats a 404 as "absent". */
const OPTIONAL_FILES = new Set(["/flow.yaml", "/eval-set.json"]);
/** What the viewer shows instead of a log it could not read. */
const ERROR_PANELS = ["An error occurred while loading this task.", "An unexpected error occurred.", "Unable to display samples"];

/** The little of the DOM the functions run in the page use: the project compiles without the DOM lib. */
interface PageElement {
  scrollTop: number;
  readonly clientHeight: number;
  readonly scrollHeight: number;
  readonly textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  document: PageElement & { body: { innerText: string } };
  location: { hash: string };
}

interface LoggedSample {
  id: string;
  epoch: number;
  input: string;
  scores: Record<string, { value: unknown; explanation: string }>;
}
interface Viewed {
  problems: string[];
  text: string;
  footer: number | null;
  /** `id#epoch` of every row of the (virtualized) sample list, with the score it shows. */
  rows: Map<string, string>;
}

let dir = "";
let log: { eval: { task: string }; samples: LoggedSample[] };
let server: ReturnType<typeof Bun.serve> | undefined;
let browser: Browser | undefined;
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

beforeAll(async () => {
  if (missing.length > 0) return;
  dir = tempDir("strata-inspect-viewer-");
  const run = join(dir, "run");
  const made = runCli(["run", "--domain", "support_saas", "--suite", "seeded", "--no-minimize", "--quiet", "--out", run]);
  if (made.code !== 0) throw new Error(made.stderr);
  mkdirSync(join(dir, "logs"));
  const exported = runCli(["export", run, "--format", "inspect", "--out", join(dir, "logs", "strata.json")]);
  if (exported.code !== 0) throw new Error(exported.stderr);
  log = JSON.parse(readFileSync(join(dir, "logs", "strata.json"), "utf8"));
  // Broken copies: the checks below must fail on them.
  const { eval: _dropped, ...noEval } = log;
  writeFileSync(join(dir, "logs", "no-eval.json"), JSON.stringify(noEval));
  writeFileSync(join(dir, "logs", "one-sample-short.json"), JSON.stringify({ ...log, samples: log.samples.slice(0, -1) }));

  const built = await Bun.build({
    entrypoints: [join(VIEWER, "main.tsx")],
    outdir: join(dir, "dist"),
    target: "browser",
    naming: "[name].[ext]",
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
  });
  if (!built.success) throw new Error(built.logs.map(String).join("\n"));
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = decodeURIComponent(new URL(request.url).pathname);
      if (path === "/") return new Response(Bun.file(join(VIEWER, "index.html")), { headers: { "content-type": "text/html" } });
      if (path === "/favicon.ico") return new Response(null, { status: 204 });
      const file = /^\/(dist|logs)\/[\w.-]+$/.test(path) ? Bun.file(join(dir, path)) : null;
      return file ? file.exists().then((found) => new Response(found ? file : "not found", { status: found ? 200 : 404 })) : new Response("not found", { status: 404 });
    },
  });
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.stop(true);
});

/** Opens a log in the viewer and reads what it shows: the list of samples, scrolled end to end. */
async function view(page: Page, file: string): Promise<Viewed> {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const path = new URL(message.location().url || "http://x/").pathname;
    if (message.text().startsWith("Failed to load resource") && OPTIONAL_FILES.has(path)) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (response.status() >= 400 && !OPTIONAL_FILES.has(path)) problems.push(`HTTP ${response.status()}: ${path}`);
  });
  await page.goto(`${server!.url}?log_file=logs/${file}`);
  await page
    .waitForFunction(
      (panels) => {
        const { document } = globalThis as unknown as PageGlobals;
        // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, which is what the panels are
        return !!document.querySelector(".samples-list [data-item-index]") || panels.some((p) => document.body.innerText.includes(p));
      },
      ERROR_PANELS,
      { timeout: 60_000 },
    )
    .catch(() => problems.push("neither a sample list nor an error panel within 60 s"));
  await page.waitForTimeout(500);
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, as a reader sees it
  const text = collapse(await page.innerText("body"));
  for (const panel of ERROR_PANELS) if (text.includes(panel)) problems.push(`error panel: ${panel}`);
  const footer = text.match(/(\d+)(?: \/ (\d+))? Samples?\b(?!.*\bSamples?\b)/);
  const rows = await page.evaluate(async () => {
    const { document } = globalThis as unknown as PageGlobals;
    const list = document.querySelector(".samples-list");
    const seen: Record<string, string> = {};
    if (!list) return seen;
    const grab = () => {
      for (const a of list.querySelectorAll("[data-item-index] a[href*='/samples/sample/']")) {
        seen[a.getAttribute("href")!] = a.querySelector("[class*='_score_']")?.textContent?.trim() ?? "";
      }
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 60));
    list.scrollTop = 0;
    await settle();
    for (let step = 0; step < 5000; step++) {
      grab();
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 2) break;
      list.scrollTop += Math.max(200, list.clientHeight * 0.8);
      await settle();
    }
    list.scrollTop = 0;
    return seen;
  });
  const keyed = new Map<string, string>();
  for (const [href, score] of Object.entries(rows)) {
    const m = href.match(/\/samples\/sample\/([^/]+)\/([^/]+)\/?$/);
    if (m) keyed.set(`${decodeURIComponent(m[1]!)}#${m[2]}`, score);
  }
  return { problems, text, footer: footer ? Number(footer[2] ?? footer[1]) : null, rows: keyed };
}

const scoreOf = (sample: LoggedSample) => Object.values(sample.scores)[0]!;

test.skipIf(missing.length > 0)(
  "Inspect's log viewer shows every sample of a strata export with its score, and opens one",
  async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    const seen = await view(page, "strata.json");
    expect(seen.problems).toEqual([]);
    expect(await page.getByText(log.eval.task, { exact: true }).first().isVisible()).toBe(true);
    expect(seen.footer).toBe(log.samples.length);
    const expected = new Map(log.samples.map((s) => [`${s.id}#${s.epoch}`, String(scoreOf(s).value)]));
    expect(seen.rows).toEqual(expected);
    // Both verdicts occur, so comparing scores row by row means something.
    expect(new Set(expected.values()).size).toBe(2);

    await page.locator(".samples-list [data-item-index] a[href*='/samples/sample/']").first().click();
    const hash = () => (globalThis as unknown as PageGlobals).location.hash;
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).location.hash.includes("/samples/sample/"));
    await page.waitForTimeout(1000);
    const opened = decodeURIComponent(await page.evaluate(hash)).match(/\/samples\/sample\/([^/]+)\/([^/]+)\/?$/);
    const sample = log.samples.find((s) => s.id === opened?.[1] && String(s.epoch) === opened?.[2])!;
    expect(sample).toBeDefined();
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, as a reader sees it
    const detail = collapse(await page.innerText("body"));
    expect(detail).toContain(`Sample ${sample.id} (Epoch ${sample.epoch})`);
    expect(detail).toContain(collapse(sample.input));
    await page.getByRole("tab", { name: "Scoring" }).first().click();
    await page.waitForTimeout(500);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, as a reader sees it
    const scoring = collapse(await page.innerText("body"));
    expect(scoring).toContain(collapse(scoreOf(sample).explanation));
    expect(seen.problems).toEqual([]);
    await page.close();
  },
  120_000,
);

test.skipIf(missing.length > 0)(
  "the same reading fails on a log without its eval header and on a log one sample short",
  async () => {
    const noEval = await view(await browser!.newPage(), "no-eval.json");
    expect(noEval.problems.some((p) => p.startsWith("error panel"))).toBe(true);
    expect(noEval.rows.size).toBe(0);
    const short = await view(await browser!.newPage(), "one-sample-short.json");
    expect(short.problems).toEqual([]);
    expect(short.footer).toBe(log.samples.length - 1);
    expect(short.rows.size).toBe(log.samples.length - 1);
  },
  120_000,
);
