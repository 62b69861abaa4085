/**
 * Bar charts drawn on the server as SVG by Apache ECharts' server-side renderer, made fit to sit inside a page under
 * the console's CSP (`style-src 'self'`): ECharts writes text styles as `style` attributes and hover rules as a
 * `<style>` element, which the policy would refuse; here the styles become presentation attributes (what SVG offers
 * for the same properties) and the hover rules go (a page without script has no hover effect to give). The chart is
 * an image with a title; the table under it is its accessible form, with the same figures.
 */
// ECharts is loaded when the first chart is drawn: loading it at start-up cost every API process about 90 ms and
// its memory, though only a supervisor's dashboard draws charts.
type ECharts = typeof import('echarts');
let loaded: ECharts | undefined;
function echarts(): ECharts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  loaded ??= require('echarts') as ECharts;
  return loaded;
}

export interface BarSeries {
  name: string;
  values: (number | null)[];
  color: string;
}

export interface BarChart {
  /** Unique on the page: the id of the chart's title. */
  id: string;
  title: string;
  /** The categories, one bar group each (the departments). */
  categories: string[];
  series: BarSeries[];
  stacked?: boolean;
}

/** Style properties ECharts writes that SVG also takes as presentation attributes; anything else is left out. */
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
]);

/** The SVG with every `style` attribute turned into presentation attributes and the `<style>` element removed. */
export function withoutInlineStyle(svg: string): string {
  return svg
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, css: string) =>
      css
        .split(';')
        .map((d) => d.split(':').map((x) => x.trim()))
        .filter(
          (pair): pair is [string, string] =>
            pair.length === 2 && PRESENTATION.has(pair[0] ?? '') && /^[\w\s.,#%()-]+$/.test(pair[1] ?? ''),
        )
        .map(([k, v]) => ` ${k}="${v}"`)
        .join(''),
    )
    .replace(/ (ecmeta_[a-z_]+|class|pointer-events)="[^"]*"/g, '');
}

const ROW_HEIGHT = 34;

/**
 * Drawn charts by their spec: a chart is a pure function of its figures, and drawing one takes ECharts tens of
 * milliseconds (bench/dashboard.bench.ts), while the dashboard's figures stay the same between changes of deadlines.
 */
const drawn = new Map<string, string>();
const DRAWN_MAX = 64;

/** The chart as an SVG element to put in the page: role img, named by its own title element. */
export function barChartSvg(c: BarChart): string {
  const key = JSON.stringify(c);
  const known = drawn.get(key);
  if (known !== undefined) return known;
  const svg = drawBarChart(c);
  if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value ?? '');
  drawn.set(key, svg);
  return svg;
}

/** The chart drawn anew (barChartSvg keeps the last ones drawn). */
export function drawBarChart(c: BarChart): string {
  const height = Math.max(160, 90 + c.categories.length * ROW_HEIGHT);
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: 760, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: 'sans-serif' },
      legend: { top: 4, data: c.series.map((s) => s.name) },
      grid: { left: 12, right: 48, top: 36, bottom: 8, containLabel: true },
      // The unit is in the title (and the table's caption): an axis name at the end would be cut off.
      xAxis: { type: 'value', minInterval: 1 },
      // Categories from the top down, as the table under the chart lists them.
      yAxis: { type: 'category', data: c.categories, inverse: true },
      series: c.series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values,
        itemStyle: { color: s.color },
        label: { show: true, position: c.stacked ? 'inside' : 'right', color: c.stacked ? '#fff' : '#1f1f1f' },
        ...(c.stacked ? { stack: 'all' } : {}),
      })),
    });
    const svg = withoutInlineStyle(chart.renderToSVGString());
    const title = c.title.replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return svg
      .replace(/^<svg /, `<svg role="img" aria-labelledby="${c.id}-title" focusable="false" class="chart" `)
      .replace(/(<svg[^>]*>)/, `$1<title id="${c.id}-title">${title}</title>`);
  } finally {
    chart.dispose();
  }
}
