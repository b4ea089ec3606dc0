using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>The most confused class pairs as a table, each with a small bar for its share of the true class.</summary>
public static class ConfusedPairsHtml
{
    public static string Render(string id, IReadOnlyList<ConfusedPair> pairs, IReadOnlyList<string> classNames)
    {
        if (pairs.Count == 0) return $"<p class=\"note\" id=\"{Escape(id)}\">No image was misclassified.</p>";
        var html = new StringBuilder();
        html.Append($"<table class=\"pairs\" id=\"{Escape(id)}\"><thead><tr><th>true class</th><th>predicted as</th><th class=\"num\">images</th><th>share of the true class</th></tr></thead><tbody>");
        foreach (var pair in pairs)
        {
            html.Append($"<tr data-true=\"{pair.True}\" data-predicted=\"{pair.Predicted}\" data-count=\"{pair.Count}\">");
            html.Append($"<td>{Escape(classNames[pair.True])}</td><td>{Escape(classNames[pair.Predicted])}</td><td class=\"num\">{Count(pair.Count)}</td>");
            html.Append($"<td><span class=\"share\"><span class=\"share-bar\" style=\"width:{Number(pair.ShareOfTrue * 100)}%\"></span></span> {Percent(pair.ShareOfTrue)}</td></tr>");
        }
        html.Append("</tbody></table>");
        return html.ToString();
    }
}
