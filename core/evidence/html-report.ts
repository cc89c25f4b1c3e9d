import { SURFACES } from "../model/identifiers.ts";
import type { Summary } from "../model/summary.ts";
import type { Witness } from "../model/witness.ts";
import { canonicalJson } from "../util/canonical-json.ts";
import { type CatchRow, ratioHalfEven } from "./baselines.ts";

/** One run as the HTML report sees it: its summary, its traces' localized surfaces, its witnesses. */
export interface HtmlReportRun {
  name: string;
  summary: Summary;
  /** localized_surface of every trace, in trace order (null when the case localized nowhere). */
  localized: ReadonlyArray<string | null>;
  /** witnesses/*.json by file name. */
  witnesses: ReadonlyArray<{ file: string; witness: Witness }>;
}

export interface HtmlReportInputs {
  runs: readonly HtmlReportRun[];
  /** Catch rows per baseline over all runs' failing cases, in evidence-table order. */
  baselines: Record<string, CatchRow>;
  fullDetector: CatchRow;
}

export interface Bar {
  label: string;
  value: number;
  /** The text shown beside the bar. */
  note: string;
}

export interface WitnessEntry {
  id: string;
  run: string;
  file: string;
  mutation: string;
  witness_class: string;
  localized_surface: string;
  failed_obligation: string;
  compiled_sql: string | null;
  canonical_sql: string | null;
  reduced_plan: unknown;
  state_rows: unknown;
  original_row_count: number;
  distinguishing: unknown;
  violations: unknown;
}

export interface HtmlReportData {
  runs: string[];
  totals: { cases: number; killed: number; survived: number; equivalent: number; unchecked: number; invalid: number };
  operators: Bar[];
  layers: Bar[];
  baselines: Bar[];
  survivors: Array<{ run: string; task_id: string; mutation: string; reason: string }>;
  equivalents: Array<{ run: string; task_id: string; mutation: string }>;
  witnesses: WitnessEntry[];
}

const FULL_DETECTOR = "strata (full detector)";

/** Everything the report shows, merged over the runs in argument order; no clock, no randomness. */
export function buildHtmlReport(inputs: HtmlReportInputs): HtmlReportData {
  const ops = new Map<string, { killed: number; survived: number }>();
  const totals = { cases: 0, killed: 0, survived: 0, equivalent: 0, unchecked: 0, invalid: 0 };
  const layerCounts = new Map<string, number>(SURFACES.map((s) => [s, 0]));
  const data: HtmlReportData = { runs: [], totals, operators: [], layers: [], baselines: [], survivors: [], equivalents: [], witnesses: [] };
  for (const run of inputs.runs) {
    data.runs.push(run.name);
    totals.cases += run.summary.total;
    totals.killed += run.summary.killed;
    totals.survived += run.summary.survived;
    totals.equivalent += run.summary.equivalent;
    totals.unchecked += run.summary.unchecked;
    totals.invalid += run.summary.invalid;
    for (const [op, tally] of Object.entries(run.summary.by_operator)) {
      const acc = ops.get(op) ?? { killed: 0, survived: 0 };
      acc.killed += tally.killed;
      acc.survived += tally.survived;
      ops.set(op, acc);
    }
    for (const surface of run.localized) if (surface !== null) layerCounts.set(surface, (layerCounts.get(surface) ?? 0) + 1);
    for (const s of run.summary.survivors) data.survivors.push({ run: run.name, ...s });
    for (const e of run.summary.equivalents) data.equivalents.push({ run: run.name, ...e });
    for (const { file, witness: w } of run.witnesses) {
      data.witnesses.push({
        id: `${run.name}/${file}`,
        run: run.name,
        file,
        mutation: w.mutation_under_test,
        witness_class: w.witness_class,
        localized_surface: w.localized_surface,
        failed_obligation: w.failed_obligation,
        compiled_sql: w.compiled_sql,
        canonical_sql: w.canonical_sql,
        reduced_plan: w.semantic_ir,
        state_rows: w.state.rows,
        original_row_count: w.state.original_row_count,
        distinguishing: w.distinguishing,
        violations: w.violations,
      });
    }
  }
  data.operators = [...ops.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, { killed, survived }]) => {
      const scored = killed + survived;
      return { label, value: scored === 0 ? 0 : killed / scored, note: scored === 0 ? "n/a (no scored cases)" : `${ratioHalfEven(killed, scored)} (${killed}/${scored})` };
    });
  data.layers = [...layerCounts.entries()].map(([label, value]) => ({ label, value, note: String(value) }));
  const catchBar = (label: string, row: CatchRow): Bar => ({
    label,
    value: row.catch_rate,
    note: `${ratioHalfEven(row.caught, row.total_failures)} (${row.caught}/${row.total_failures})`,
  });
  data.baselines = [...Object.entries(inputs.baselines).map(([name, row]) => catchBar(name, row)), catchBar(FULL_DETECTOR, inputs.fullDetector)];
  return data;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * JSON safe inside <script type="application/json">: no `</` can close the element. Canonical, so
 * the page's bytes do not depend on the key order of its inputs (witnesses read through their
 * schema, or as the run wrote them).
 */
export function scriptJson(value: unknown): string {
  return canonicalJson(value).replace(/<\//g, "<\\/").replace(/<!--/g, "<\\u0021--");
}

/** A horizontal bar chart; `max` is the value of a full-width bar. Every bar is a rect with class "bar". */
export function barChartSvg(id: string, title: string, bars: readonly Bar[], max: number): string {
  const labelWidth = 300;
  const barWidth = 360;
  const rowHeight = 22;
  const top = 8;
  const height = top * 2 + Math.max(bars.length, 1) * rowHeight;
  const width = labelWidth + barWidth + 180;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const w = max <= 0 ? 0 : Math.round((Math.min(bar.value, max) / max) * barWidth * 100) / 100;
    return [
      `<g class="row">`,
      `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(bar.label)}</text>`,
      `<rect class="track" x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="${rowHeight - 6}"/>`,
      `<rect class="bar" data-label="${escapeHtml(bar.label)}" x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 6}"><title>${escapeHtml(`${bar.label}: ${bar.note}`)}</title></rect>`,
      `<text x="${labelWidth + barWidth + 6}" y="${y + 15}">${escapeHtml(bar.note)}</text>`,
      `</g>`,
    ].join("");
  });
  return `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows.join("")}</svg>`;
}

function table(id: string, headers: readonly string[], rows: ReadonlyArray<readonly string[]>, empty: string): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body =
    rows.length === 0
      ? `<tr class="empty"><td colspan="${headers.length}">${escapeHtml(empty)}</td></tr>`
      : rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  return `<table id="${id}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const CSS = `body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}svg .track{fill:#eef1f4}svg .bar{fill:#3b6fb6}
#chart-layers .bar{fill:#6a4fb0}#chart-baselines .bar{fill:#2f8f5b}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f8}tr.empty td{color:#667;font-style:italic}
#witness-view{display:flex;gap:16px;align-items:flex-start}#witness-list{list-style:none;padding:0;margin:0;min-width:320px;max-height:640px;overflow:auto}
#witness-list button{display:block;width:100%;text-align:left;border:1px solid #ccd;background:#fff;padding:4px 8px;margin:2px 0;cursor:pointer;font:12px monospace}
#witness-list button.selected{background:#dde8f7;border-color:#3b6fb6}#witness-detail{flex:1;min-width:0}
pre{background:#f6f8fa;border:1px solid #dde;padding:8px;white-space:pre-wrap;word-break:break-word;font:12px/1.35 monospace}
.totals span{margin-right:16px}`;

const SCRIPT = `(function(){
var data=JSON.parse(document.getElementById("report-data").textContent);
var list=document.getElementById("witness-list"),detail=document.getElementById("witness-detail");
function el(tag,text,attrs){var e=document.createElement(tag);if(text!==undefined&&text!==null)e.textContent=text;if(attrs)for(var k in attrs)e.setAttribute(k,attrs[k]);return e;}
function block(title,cls,value){detail.appendChild(el("h3",title));detail.appendChild(el("pre",typeof value==="string"?value:JSON.stringify(value,null,2),{"class":cls}));}
function show(i,button){var w=data.witnesses[i];
var prev=list.querySelectorAll("button.selected");for(var j=0;j<prev.length;j++)prev[j].className="";button.className="selected";
detail.textContent="";detail.appendChild(el("h3",w.id,{"class":"witness-title"}));
detail.appendChild(el("p","mutation "+w.mutation+" \\u2014 "+w.witness_class+" at "+w.localized_surface+", obligation "+w.failed_obligation));
block("Compiled SQL","compiled-sql",w.compiled_sql===null?"(none)":w.compiled_sql);
block("Canonical SQL","canonical-sql",w.canonical_sql===null?"(none)":w.canonical_sql);
block("Reduced plan","reduced-plan",w.reduced_plan);
block("Minimized state rows ("+w.state_rows.length+" of "+w.original_row_count+")","state-rows",w.state_rows);
block("Distinguishing results","distinguishing",w.distinguishing);
block("Violations","violations",w.violations);}
data.witnesses.forEach(function(w,i){var li=el("li");var b=el("button",w.id,{type:"button","data-index":String(i)});b.addEventListener("click",function(){show(i,b);});li.appendChild(b);list.appendChild(li);});
if(data.witnesses.length===0)list.appendChild(el("li","No witnesses in these runs."));
})();`;

/** The self-contained report page: inline CSS, JS and SVG, no external resource, same data → same bytes. */
export function renderHtmlReport(data: HtmlReportData): string {
  const t = data.totals;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>strata report: ${escapeHtml(data.runs.join(", "))}</title>
<style>${CSS}</style>
</head>
<body>
<h1>strata report</h1>
<p>Runs: ${escapeHtml(data.runs.join(", "))}</p>
<p class="totals"><span>cases ${t.cases}</span><span>killed ${t.killed}</span><span>survived ${t.survived}</span><span>equivalent ${t.equivalent}</span>${t.unchecked > 0 ? `<span>unchecked ${t.unchecked}</span>` : ""}<span>invalid ${t.invalid}</span></p>
<section id="operators"><h2>Kill rate per operator</h2>
<p>killed / (killed + survived); equivalent and invalid mutants are not scored.</p>
${barChartSvg("chart-operators", "Kill rate per operator", data.operators, 1)}
</section>
<section id="layers"><h2>Cases per localized layer</h2>
${barChartSvg("chart-layers", "Cases per localized layer", data.layers, Math.max(1, ...data.layers.map((b) => b.value)))}
</section>
<section id="baselines"><h2>Baseline comparison</h2>
<p>Catch rate of each restricted baseline on the failing cases, and of the full detector.</p>
${barChartSvg("chart-baselines", "Catch rate per baseline", data.baselines, 1)}
</section>
<section id="survivors"><h2>Survivors (${data.survivors.length})</h2>
${table("survivors-table", ["run", "task", "mutation", "reason"], data.survivors.map((s) => [s.run, s.task_id, s.mutation, s.reason]), "No survivors.")}
</section>
<section id="equivalents"><h2>Equivalent mutants (${data.equivalents.length})</h2>
${table("equivalents-table", ["run", "task", "mutation"], data.equivalents.map((e) => [e.run, e.task_id, e.mutation]), "No equivalent mutants.")}
</section>
<section id="witnesses"><h2>Witnesses (${data.witnesses.length})</h2>
<div id="witness-view"><ul id="witness-list"></ul><div id="witness-detail"><p>Select a witness to see its SQL, reduced plan, minimized rows and violations.</p></div></div>
</section>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
