import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Only the parts the dashboard draws, so the chart chunk stays small. SVG: crisp, and its text is in the page.
echarts.use([BarChart, LineChart, AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** A chart with a text description for screen readers (ECharts' aria decal and label). */
export function Chart({ option, label, height = 320 }: { option: EChartsOption; label: string; height?: number }) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={{ aria: { enabled: true }, animation: false, ...option }} notMerge style={{ height }} opts={{ renderer: 'svg' }} />
    </div>
  );
}
