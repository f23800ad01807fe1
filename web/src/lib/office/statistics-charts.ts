import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only what the statistics page draws: bars, lines, their grid, legend and tooltip, as SVG.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface ChartSpec {
  kind: 'bar' | 'line';
  categories: string[];
  series: { name: string; values: number[] }[];
  /** Bars side by side unless stacked. */
  stacked?: boolean;
  /** Bars along the vertical axis (long category names: jurisdictions, industries). */
  horizontal?: boolean;
}

const palette = ['#1f5fa8', '#2e8b57', '#c0392b', '#8e44ad', '#d68910'];

function option(spec: ChartSpec) {
  const category = {
    type: 'category' as const,
    data: spec.categories,
    // A long name ("Industry and trade (metallurgy, …)") would take the whole width and
    // leave the bars none: cut at a width, the full name is in the table below and the tooltip.
    axisLabel: spec.horizontal ? { width: 132, overflow: 'truncate' as const } : {},
  };
  const value = { type: 'value' as const, minInterval: 1 };
  return {
    color: palette,
    animation: false,
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: spec.horizontal ? value : category,
    yAxis: spec.horizontal ? { ...category, inverse: true } : value,
    series: spec.series.map((series) => ({
      name: series.name,
      type: spec.kind,
      data: series.values,
      ...(spec.stacked ? { stack: 'all' } : {}),
    })),
  };
}

/** A Svelte action: draws the chart into the element, redraws on update, disposes after. */
export function chart(element: HTMLElement, spec: ChartSpec) {
  const instance = init(element, undefined, { renderer: 'svg' });
  instance.setOption(option(spec));
  const resize = () => instance.resize();
  window.addEventListener('resize', resize);
  return {
    update(next: ChartSpec) {
      instance.setOption(option(next), { notMerge: true });
    },
    destroy() {
      window.removeEventListener('resize', resize);
      instance.dispose();
    },
  };
}
