import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Only the parts the dashboard draws, so the chart chunk stays small. SVG: crisp, and its text is in the page.
echarts.use([BarChart, HeatmapChart, LineChart, AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

/** What a click on a bar, a point or a cell hit: its series and its place on the category axis (the heat map's [x, y, value] in data). */
export interface ChartClick {
  readonly seriesIndex: number;
  readonly dataIndex: number;
  readonly data: unknown;
}

/**
 * A chart with a text description for screen readers (and ECharts' aria label); `onClick` makes its marks open
 * what is behind them. Tooltips are drawn in the chart (richText): ECharts' HTML tooltips carry inline style
 * attributes, which the Content-Security-Policy refuses. `describedBy`: the id of a text that says more of it (what a mark on its labels means).
 */
export function Chart({ option, label, height = 320, onClick, testId, describedBy }: { option: EChartsOption; label: string; height?: number; onClick?: (click: ChartClick) => void; testId?: string; describedBy?: string }) {
  return (
    <div role="img" aria-label={label} aria-describedby={describedBy} data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ aria: { enabled: true }, animation: false, ...option, ...(option.tooltip ? { tooltip: { ...(option.tooltip as object), renderMode: 'richText' } } : {}) }}
        notMerge
        style={{ height, cursor: onClick ? 'pointer' : undefined }}
        opts={{ renderer: 'svg' }}
        onEvents={onClick ? { click: (event: ChartClick) => onClick({ seriesIndex: event.seriesIndex, dataIndex: event.dataIndex, data: event.data }) } : undefined}
      />
    </div>
  );
}
