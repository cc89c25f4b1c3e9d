import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "bun:test";
import { runCli, tempDir } from "./helpers.ts";

/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core, offline. Any
 * request that is not file: fails the test, as does any console error or page error.
 */
const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === "true") throw new Error(`report-browser: ${CHROMIUM} is missing, and CI=true requires it (apt-get install chromium)`);
  console.warn(`report-browser: SKIPPED, ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);
}

test.skipIf(!available)(
  "strata report renders charts, tables and the witness view offline in chromium",
  async () => {
    const started = performance.now();
    const dir = tempDir("strata-report-browser-");
    const run = join(dir, "seeded");
    const made = runCli(["run", "--domain", "support_saas", "--suite", "seeded", "--out", run, "--quiet"]);
    expect(made.code, made.stderr).toBe(0);
    const out = join(dir, "report.html");
    const reported = runCli(["report", run, "--out", out]);
    expect(reported.code, reported.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8")) as { by_operator: Record<string, unknown> };
    const operators = Object.keys(summary.by_operator).length;
    const ranCli = performance.now();

    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:")) return route.continue();
        problems.push(`network request: ${url}`);
        return route.abort();
      });
      await page.goto(pathToFileURL(out).href);

      expect(await page.locator("#chart-operators rect.bar").count()).toBe(operators);
      expect(await page.locator("#chart-layers rect.bar").count()).toBe(6);
      // 17 baselines plus the full detector.
      expect(await page.locator("#chart-baselines rect.bar").count()).toBe(18);
      expect(await page.locator("#chart-baselines rect.bar").last().getAttribute("data-label")).toBe("strata (full detector)");

      expect(await page.locator("#survivors h2").textContent()).toMatch(/^Survivors \(\d+\)$/);
      expect(await page.locator("#survivors-table tbody tr").count()).toBeGreaterThan(0);
      expect(await page.locator("#equivalents h2").textContent()).toMatch(/^Equivalent mutants \(\d+\)$/);
      expect(await page.locator("#equivalents-table tbody tr").count()).toBeGreaterThan(0);

      const buttons = page.locator("#witness-list button");
      expect(await buttons.count()).toBeGreaterThan(0);
      const first = buttons.first();
      const id = (await first.textContent()) ?? "";
      const witness = JSON.parse(readFileSync(join(run, "witnesses", id.split("/")[1]!), "utf8")) as { compiled_sql: string | null; canonical_sql: string | null };
      await first.click();
      expect(await page.locator("#witness-detail .witness-title").textContent()).toBe(id);
      expect(await page.locator("#witness-detail pre.compiled-sql").textContent()).toBe(witness.compiled_sql ?? "(none)");
      expect(await page.locator("#witness-detail pre.canonical-sql").textContent()).toBe(witness.canonical_sql ?? "(none)");
      expect(await page.locator("#witness-detail pre.violations").textContent()).toContain("obligation");
      expect(await page.locator("#witness-detail pre.state-rows").count()).toBe(1);
      expect(await page.locator("#witness-detail pre.distinguishing").count()).toBe(1);

      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
    console.log(`report-browser: run+report ${Math.round(ranCli - started)} ms, browser ${Math.round(performance.now() - ranCli)} ms`);
  },
  120_000,
);
