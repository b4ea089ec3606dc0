namespace AlexNet.Reporting;

/// <summary>
/// The report's style sheet, inline so the file stands alone. Fonts are the reader's own sans-serif (no
/// web fonts); colours follow the Tableau 10 palette that matplotlib also uses, and print stays black on white.
/// </summary>
public static class ReportStyle
{
    public const string TrainColor = "#1f77b4", ValidationColor = "#ff7f0e", LearningRateColor = "#2ca02c";

    public const string Css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f5f7; color: #1a1a1a; font: 14px/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 32px 40px; }
        header h1 { font-size: 26px; margin: 0 0 4px; font-weight: 600; letter-spacing: -0.01em; }
        header .subtitle { margin: 0; color: #555d66; }
        h2 { font-size: 18px; font-weight: 600; margin: 0 0 4px; }
        h3 { font-size: 14px; font-weight: 600; margin: 18px 0 6px; color: #333; }
        section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 18px 22px 20px; margin-top: 18px; }
        section > p.lead { margin: 0 0 12px; color: #555d66; }
        .tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
        .tile { flex: 1 1 150px; background: #fff; border: 1px solid #e1e4e8; border-radius: 8px; padding: 12px 16px; }
        .tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .tile .label { color: #555d66; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
        .tile .detail { color: #6b737c; font-size: 12px; }
        .details { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 4px 32px; }
        .details table { border-collapse: collapse; width: 100%; }
        .details th { text-align: left; font-weight: normal; color: #555d66; padding: 3px 12px 3px 0; width: 40%; vertical-align: top; }
        .details td { padding: 3px 0; word-break: break-word; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 12px 24px; justify-items: center; }
        svg { max-width: 100%; height: auto; font-family: inherit; }
        svg .chart-title { font-size: 14px; font-weight: 600; fill: #1a1a1a; }
        svg .legend, svg .axis-label { font-size: 12px; fill: #333; }
        svg .tick, svg .value { font-size: 11px; fill: #555d66; font-variant-numeric: tabular-nums; }
        svg .class-label { font-size: 12px; fill: #1a1a1a; }
        svg .grid { stroke: #e6e8eb; stroke-width: 1; }
        svg .axis { stroke: #6b737c; stroke-width: 1; }
        svg .empty { font-size: 13px; fill: #8c96a3; }
        .heatmaps { display: flex; flex-wrap: wrap; gap: 16px 28px; align-items: flex-start; }
        .side-by-side { display: flex; flex-wrap: wrap; gap: 16px 48px; align-items: flex-start; }
        .side-by-side h3 { margin-top: 0; }
        table.pairs, table.epochs { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        table.pairs th, table.pairs td, table.epochs th, table.epochs td { padding: 4px 12px 4px 0; border-bottom: 1px solid #eef0f3; text-align: left; }
        table.pairs th, table.epochs th { font-weight: 600; color: #333; border-bottom: 1px solid #cfd4da; }
        td.num, th.num { text-align: right !important; }
        table.epochs tr.best td { font-weight: 600; background: #f2f8ee; }
        .share { display: inline-block; width: 120px; height: 8px; background: #eef0f3; border-radius: 2px; vertical-align: middle; }
        .share-bar { display: block; height: 8px; background: #d62728; border-radius: 2px; }
        .samples { display: grid; grid-template-columns: repeat(auto-fill, minmax(172px, 1fr)); gap: 12px; }
        figure.sample { margin: 0; padding: 10px; border: 1px solid #e1e4e8; border-top: 4px solid #2ca02c; border-radius: 6px; background: #fff; break-inside: avoid; }
        figure.sample.wrong { border-top-color: #d62728; }
        figure.sample img.thumb { display: block; margin: 0 auto 6px; width: 112px; height: 112px; object-fit: contain; background: #000; border-radius: 3px; }
        figure.sample img.thumb.pixelated { image-rendering: pixelated; }
        figure.sample figcaption { font-weight: 600; margin-bottom: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        figure.sample .mark { color: #2ca02c; }
        figure.sample.wrong .mark { color: #d62728; }
        figure.sample svg.top5 { display: block; width: 100%; }
        svg .guess-label, svg .guess-value { font-size: 11px; fill: #333; }
        svg .truth .guess-label, svg .truth .guess-value { font-weight: 700; fill: #1d7a1d; }
        p.note { color: #6b737c; font-size: 12px; margin: 6px 0 0; }
        details summary { cursor: pointer; color: #1f5f99; margin-top: 12px; }
        footer { color: #6b737c; font-size: 12px; margin-top: 18px; text-align: center; }
        @media print { body { background: #fff; } section, .tile { border-color: #ccc; } }
        """;
}
