using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SensoClassLink.Core.Reporting;

/// <summary>One bar of a <see cref="SvgChart.HorizontalBars"/> chart; <see cref="CssClass"/> colours it.</summary>
public sealed record ChartBar(string Label, int Value, string CssClass = "bar");

/// <summary>One row of a <see cref="SvgChart.ColumnPanels"/> chart: a value per column, coloured by <see cref="CssClass"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<int> Values, string CssClass);

/// <summary>
/// Inline SVG charts for the HTML report: no script, no external resource, colours from the page's CSS classes,
/// a <c>title</c> on every mark so a pointer shows the exact figure. Every label is escaped.
/// </summary>
public static class SvgChart
{
    private const int Width = 640;

    /// <summary>One labelled horizontal bar per item, scaled to the largest value, the figure at the bar's end.</summary>
    public static string HorizontalBars(string title, IReadOnlyList<ChartBar> bars)
    {
        const int labelWidth = 190, rowHeight = 28, barHeight = 18, valueWidth = 70;
        int height = Math.Max(1, bars.Count) * rowHeight + 4;
        int max = Math.Max(1, bars.Count == 0 ? 0 : bars.Max(b => b.Value));
        double scale = (Width - labelWidth - valueWidth) / (double)max;
        var svg = Open(title, height, "chart-bars");
        for (int i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            int y = i * rowHeight + 4;
            double length = bar.Value <= 0 ? 0 : Math.Max(2, bar.Value * scale);
            svg.Append("<g><title>").Append(HtmlText.Escape(bar.Label)).Append(": ").Append(Number(bar.Value)).Append("</title>");
            svg.Append("<text class=\"label\" x=\"").Append(labelWidth - 10).Append("\" y=\"").Append(y + barHeight - 4)
               .Append("\" text-anchor=\"end\">").Append(HtmlText.Escape(bar.Label)).Append("</text>");
            svg.Append("<rect class=\"track\" x=\"").Append(labelWidth).Append("\" y=\"").Append(y).Append("\" width=\"")
               .Append(Width - labelWidth - valueWidth).Append("\" height=\"").Append(barHeight).Append("\" rx=\"3\"/>");
            svg.Append("<rect class=\"").Append(HtmlText.Escape(bar.CssClass)).Append("\" x=\"").Append(labelWidth).Append("\" y=\"").Append(y)
               .Append("\" width=\"").Append(Coordinate(length)).Append("\" height=\"").Append(barHeight).Append("\" rx=\"3\"/>");
            svg.Append("<text class=\"value\" x=\"").Append(Coordinate(labelWidth + length + 8)).Append("\" y=\"").Append(y + barHeight - 4).Append("\">")
               .Append(Number(bar.Value)).Append("</text></g>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// Small multiples: one panel of columns per series over the same columns (runs, oldest left), each panel on its
    /// own scale so a handful of failures stays visible beside hundreds of teachers. The last column is emphasized
    /// (the run this report is about). <paramref name="columnClasses"/>, when given, draws a strip of coloured marks
    /// under the panels (the run statuses).
    /// </summary>
    public static string ColumnPanels(string title, IReadOnlyList<string> columnLabels, IReadOnlyList<ChartSeries> series,
        IReadOnlyList<(string CssClass, string Title)>? columnClasses = null)
    {
        const int left = 170, right = 12, panelHeight = 58, gap = 16, top = 8, stripHeight = 12, axisHeight = 22;
        int columns = Math.Max(1, columnLabels.Count);
        double plotWidth = Width - left - right;
        double step = plotWidth / columns;
        double barWidth = Math.Min(26, Math.Max(2, step * 0.72));
        int stripTop = top + series.Count * (panelHeight + gap);
        int height = stripTop + (columnClasses is null ? 0 : stripHeight + 6) + axisHeight;
        var svg = Open(title, height, "chart-panels");

        for (int s = 0; s < series.Count; s++)
        {
            var row = series[s];
            int panelTop = top + s * (panelHeight + gap);
            int baseline = panelTop + panelHeight;
            int max = Math.Max(1, row.Values.Count == 0 ? 0 : row.Values.Max());
            int latest = row.Values.Count == 0 ? 0 : row.Values[row.Values.Count - 1];
            svg.Append("<text class=\"series-name\" x=\"0\" y=\"").Append(panelTop + 16).Append("\">").Append(HtmlText.Escape(row.Name)).Append("</text>");
            svg.Append("<text class=\"series-value ").Append(HtmlText.Escape(row.CssClass)).Append("-text\" x=\"0\" y=\"").Append(panelTop + 46).Append("\">")
               .Append(Number(latest)).Append("</text>");
            svg.Append("<line class=\"gridline\" x1=\"").Append(left).Append("\" x2=\"").Append(Width - right).Append("\" y1=\"").Append(panelTop)
               .Append("\" y2=\"").Append(panelTop).Append("\"/>");
            svg.Append("<text class=\"axis\" x=\"").Append(left - 6).Append("\" y=\"").Append(panelTop + 4).Append("\" text-anchor=\"end\">")
               .Append(Number(max)).Append("</text>");
            svg.Append("<line class=\"baseline\" x1=\"").Append(left).Append("\" x2=\"").Append(Width - right).Append("\" y1=\"").Append(baseline)
               .Append("\" y2=\"").Append(baseline).Append("\"/>");
            svg.Append("<text class=\"axis\" x=\"").Append(left - 6).Append("\" y=\"").Append(baseline).Append("\" text-anchor=\"end\">0</text>");
            for (int c = 0; c < row.Values.Count && c < columns; c++)
            {
                int value = row.Values[c];
                double barHeight = value <= 0 ? 0 : Math.Max(2, value * (double)panelHeight / max);
                double x = left + c * step + (step - barWidth) / 2;
                string label = c < columnLabels.Count ? columnLabels[c] : "";
                svg.Append("<rect class=\"").Append(HtmlText.Escape(row.CssClass)).Append(c == columns - 1 ? " current" : " earlier")
                   .Append("\" x=\"").Append(Coordinate(x)).Append("\" y=\"").Append(Coordinate(baseline - barHeight)).Append("\" width=\"")
                   .Append(Coordinate(barWidth)).Append("\" height=\"").Append(Coordinate(barHeight)).Append("\"><title>")
                   .Append(HtmlText.Escape(label)).Append(" · ").Append(HtmlText.Escape(row.Name)).Append(": ").Append(Number(value)).Append("</title></rect>");
            }
        }

        int axisTop = stripTop;
        if (columnClasses is not null)
        {
            svg.Append("<text class=\"series-name\" x=\"0\" y=\"").Append(stripTop + 10).Append("\">Status</text>");
            for (int c = 0; c < columnClasses.Count && c < columns; c++)
            {
                double x = left + c * step + (step - barWidth) / 2;
                svg.Append("<rect class=\"").Append(HtmlText.Escape(columnClasses[c].CssClass)).Append("\" x=\"").Append(Coordinate(x)).Append("\" y=\"")
                   .Append(stripTop).Append("\" width=\"").Append(Coordinate(barWidth)).Append("\" height=\"").Append(stripHeight).Append("\" rx=\"2\"><title>")
                   .Append(HtmlText.Escape(c < columnLabels.Count ? columnLabels[c] : "")).Append(" · ").Append(HtmlText.Escape(columnClasses[c].Title))
                   .Append("</title></rect>");
            }
            axisTop += stripHeight + 6;
        }

        // At most about six column labels fit; always label the newest.
        int every = (int)Math.Ceiling(columns / 6.0);
        for (int c = 0; c < columnLabels.Count && c < columns; c++)
        {
            bool newest = c == columns - 1;
            if (!newest && (c % every != 0 || columns - 1 - c < every))
            {
                continue;
            }
            svg.Append("<text class=\"axis").Append(newest ? " newest" : "").Append("\" x=\"").Append(Coordinate(left + c * step + step / 2)).Append("\" y=\"")
               .Append(axisTop + 14).Append("\" text-anchor=\"middle\">").Append(HtmlText.Escape(columnLabels[c])).Append("</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int height, string cssClass) =>
        new StringBuilder(4096)
            .Append("<svg class=\"").Append(cssClass).Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
            .Append("\" role=\"img\" aria-label=\"").Append(HtmlText.Escape(title)).Append("\"><title>").Append(HtmlText.Escape(title)).Append("</title>");

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
