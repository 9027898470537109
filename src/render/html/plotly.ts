/**
 * Plotly charts without a network: the library comes from the npm package plotly.js-dist-min
 * and is inlined into the page once; every chart after that draws with window.Plotly. The
 * same HTML works in the live notebook and in HTML exported by nbconvert.
 */
import { readFileSync } from "node:fs";
import { escapeHtml } from "./escape";
import type { Figure } from "../charts/figure";

let cachedLibrary: string | undefined;
/** Whether this process has put the library into an output yet (loadCharts() or a first chart). */
let libraryShown = false;

/** The whole plotly.js bundle as one <script> (about 4.8 MB). */
export function plotlyLibraryHtml(): string {
  libraryShown = true;
  cachedLibrary ??= readFileSync(require.resolve("plotly.js-dist-min"), "utf8")
    // A literal "</script>" inside the bundle would end the tag early.
    .replace(/<\/script/gi, "<\\/script");
  return `<script type="text/javascript">${cachedLibrary}</script>`;
}

let chartCounter = 0;

/**
 * A chart as a <div> and a script that draws it once Plotly is on the page. The first chart of a
 * process that has not called loadCharts() brings the library itself, so a new notebook's first
 * chart draws at once instead of waiting for a library that never comes.
 */
export function figureHtml(figure: Figure, { id }: { id?: string } = {}): string {
  const library = libraryShown ? "" : plotlyLibraryHtml();
  const divId = id ?? `privacy-course-chart-${++chartCounter}`;
  const json = JSON.stringify(figure).replace(/<\//g, "<\\/");
  const height = figure.layout.height ?? 420;
  return [
    ...(library ? [library] : []),
    `<div id="${escapeHtml(divId)}" class="privacy-course-chart" style="width:100%;height:${height}px"></div>`,
    `<script type="text/javascript">(function () {`,
    `  var figure = ${json};`,
    `  function draw() { window.Plotly.newPlot(${JSON.stringify(divId)}, figure.data, figure.layout, {displaylogo: false, responsive: true}); }`,
    `  if (window.Plotly) { draw(); return; }`,
    `  var tries = 0; var timer = setInterval(function () {`,
    `    if (window.Plotly) { clearInterval(timer); draw(); }`,
    `    else if (++tries > 100) { clearInterval(timer); document.getElementById(${JSON.stringify(divId)}).textContent = "Plotly is not loaded: run the notebook's first cell (loadCharts())."; }`,
    `  }, 100);`,
    `})();</script>`,
  ].join("\n");
}
