using System.Globalization;
using System.Text.Encodings.Web;
using CrmGuardrails.Cli.Audit;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli.Reporting;

/// <summary>
/// Writes the report: one self-contained HTML file (inline CSS, JavaScript and SVG; a Content-Security-Policy that
/// forbids every network request), readable offline and safe to send to a sales director.
/// </summary>
/// <remarks>
/// Every value from the CRM is HTML-encoded, and the script reads nothing but the page's own table. Rows carry what
/// the decisions carry — kinds, names, owners, dates, match evidence — never an activity's subject or body.
/// </remarks>
internal static class HtmlReport
{
    /// <summary>The most rows the table holds (strongest first); the JSON Lines file keeps them all.</summary>
    public const int MaxTableRows = 5000;

    private static readonly string[] Verdicts = ["block", "flag", "allow"];
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static void Write(TextWriter w, ReportData data)
    {
        var rows = data.Rows;
        var inv = CultureInfo.InvariantCulture;
        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write($"<title>{E(data.Title)}</title>\n<style>{Css}</style></head><body>\n");
        w.Write($"<h1>{E(data.Title)}</h1>\n");
        var blocks = rows.Count(r => r.Verdict == Verdict.Block);
        var flags = rows.Count(r => r.Verdict == Verdict.Flag);
        w.Write($"<p class=\"lead\" id=\"totals\">{data.Checks.ToString("N0", inv)} checks; {rows.Count.ToString("N0", inv)} {(data.Source == "audit" ? "collisions" : "decisions")}: " +
                $"<b class=\"v-block\">{blocks.ToString("N0", inv)} block</b>, <b class=\"v-flag\">{flags.ToString("N0", inv)} flag</b>" +
                (data.Source == "audit" ? string.Empty : $", <b class=\"v-allow\">{rows.Count(r => r.Verdict == Verdict.Allow).ToString("N0", inv)} allow</b>") + ".</p>\n");

        WriteDailyCharts(w, rows);
        WriteHealth(w, data);
        WriteTop(w, "Accounts that collide most", "top-accounts", ["Account", "Owner", "Collisions"],
            rows.Where(r => r.Customer is { Type: "account" }).GroupBy(r => r.Customer!.Id, StringComparer.Ordinal)
                .Select(g => (new[] { g.First().Customer!.Name ?? g.Key, g.First().Customer!.OwnerName ?? g.First().Customer!.OwnerId ?? string.Empty }, g.Count())));
        WriteTop(w, "Rep pairs that collide most", "top-pairs", ["Rep", "Rep", "Collisions"],
            rows.Where(r => r.Other?.OwnerId is { Length: > 0 } && r.Record.OwnerId is { Length: > 0 } && r.Other.OwnerId != r.Record.OwnerId)
                .Select(r => Pair(r))
                .GroupBy(p => (p.A.Id, p.B.Id))
                .Select(g => (new[] { g.First().A.Name, g.First().B.Name }, g.Count())));
        WriteTable(w, rows);
        w.Write($"<script>{Script}</script>\n</body></html>\n");
        w.Flush();
    }

    private static ((string Id, string Name) A, (string Id, string Name) B) Pair(AuditCollision row)
    {
        var a = (Id: row.Record.OwnerId!, Name: row.Record.OwnerName ?? row.Record.OwnerId!);
        var b = (Id: row.Other!.OwnerId!, Name: row.Other.OwnerName ?? row.Other.OwnerId!);
        return string.CompareOrdinal(a.Id, b.Id) <= 0 ? (a, b) : (b, a);
    }

    /// <summary>One stacked bar chart per rule: a bar per day, block, flag and allow stacked.</summary>
    private static void WriteDailyCharts(TextWriter w, IReadOnlyList<AuditCollision> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        w.Write("<section id=\"per-day\"><h2>Verdicts per rule per day</h2>\n");
        if (rows.Count == 0)
        {
            w.Write("<p>No decisions to chart.</p></section>\n");
            return;
        }

        var days = rows.Select(r => r.At.UtcDateTime.Date).Distinct().OrderBy(d => d).ToList();
        if (days.Count > 366)
            days = days.Skip(days.Count - 366).ToList();
        var dayIndex = days.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        foreach (var rule in rows.Select(r => r.Rule).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
        {
            var counts = new int[days.Count, 3];
            foreach (var row in rows.Where(r => r.Rule == rule))
            {
                if (dayIndex.TryGetValue(row.At.UtcDateTime.Date, out var i))
                    counts[i, VerdictSlot(row.Verdict)]++;
            }

            var max = 1;
            for (var i = 0; i < days.Count; i++)
                max = Math.Max(max, counts[i, 0] + counts[i, 1] + counts[i, 2]);
            const int height = 120, left = 44, barGap = 2;
            var barWidth = Math.Max(4, Math.Min(40, 720 / Math.Max(1, days.Count)));
            var width = left + (days.Count * (barWidth + barGap)) + 10;
            w.Write($"<figure class=\"chart\" data-rule=\"{E(rule)}\"><figcaption>{E(rule)}</figcaption>");
            w.Write($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + 34}\" role=\"img\" aria-label=\"{E(rule)} verdicts per day\">");
            w.Write($"<text x=\"0\" y=\"12\" class=\"axis\">{max.ToString(inv)}</text><text x=\"0\" y=\"{height}\" class=\"axis\">0</text>");
            w.Write($"<line x1=\"{left - 4}\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" class=\"base\"/>");
            for (var i = 0; i < days.Count; i++)
            {
                var x = left + (i * (barWidth + barGap));
                var y = (double)height;
                for (var slot = 0; slot < 3; slot++)
                {
                    var n = counts[i, slot];
                    if (n == 0)
                        continue;
                    var h = Math.Max(1.0, height * (double)n / max);
                    y -= h;
                    w.Write($"<rect class=\"bar v-{Verdicts[slot]}\" x=\"{x.ToString(inv)}\" y=\"{y.ToString("0.##", inv)}\" width=\"{barWidth.ToString(inv)}\" height=\"{h.ToString("0.##", inv)}\"><title>{days[i]:yyyy-MM-dd} {Verdicts[slot]}: {n.ToString(inv)}</title></rect>");
                }

                if (i == 0 || i == days.Count - 1 || (days.Count > 2 && i == days.Count / 2))
                    w.Write($"<text x=\"{x.ToString(inv)}\" y=\"{height + 16}\" class=\"axis\">{days[i]:MM-dd}</text>");
            }

            w.Write("</svg></figure>\n");
        }

        w.Write("<p class=\"legend\"><span class=\"sw v-block\"></span>block <span class=\"sw v-flag\"></span>flag <span class=\"sw v-allow\"></span>allow</p></section>\n");
    }

    private static int VerdictSlot(Verdict verdict) => verdict switch { Verdict.Block => 0, Verdict.Flag => 1, _ => 2 };

    private static void WriteHealth(TextWriter w, ReportData data)
    {
        var inv = CultureInfo.InvariantCulture;
        var notChecked = data.NotChecked ?? data.Rows.Count(r => r.NotChecked);
        var rate = data.Checks == 0 ? 0 : 100.0 * notChecked / data.Checks;
        var latencies = (data.Latencies ?? data.Rows.Select(r => r.LatencyMs).ToList()).Where(l => l > 0).OrderBy(l => l).ToArray();
        w.Write("<section id=\"health\"><h2>Not checked and latency</h2><table class=\"small\"><tbody>");
        w.Write($"<tr><th>Not checked</th><td id=\"not-checked\">{notChecked.ToString("N0", inv)} of {data.Checks.ToString("N0", inv)} checks ({rate.ToString("0.###", inv)} %)</td></tr>");
        if (latencies.Length == 0)
        {
            w.Write("<tr><th>Latency</th><td>not recorded</td></tr>");
        }
        else
        {
            foreach (var (name, p) in new[] { ("p50", 0.50), ("p90", 0.90), ("p99", 0.99) })
                w.Write($"<tr><th>Latency {name}</th><td class=\"num\">{Percentile(latencies, p).ToString("0.###", inv)} ms</td></tr>");
            w.Write($"<tr><th>Latency max</th><td class=\"num\">{latencies[^1].ToString("0.###", inv)} ms</td></tr>");
            w.Write($"<tr><th>Measured over</th><td>{latencies.Length.ToString("N0", inv)} {(data.Source == "audit" ? "checks that found a collision" : "checks")}</td></tr>");
        }

        w.Write("</tbody></table></section>\n");
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static void WriteTop(TextWriter w, string title, string id, string[] headings, IEnumerable<(string[] Cells, int Count)> groups)
    {
        var top = groups.OrderByDescending(g => g.Count).ThenBy(g => string.Join("\u0001", g.Cells), StringComparer.Ordinal).Take(15).ToList();
        w.Write($"<section id=\"{id}\"><h2>{E(title)}</h2>");
        if (top.Count == 0)
        {
            w.Write("<p>None.</p></section>\n");
            return;
        }

        var max = top[0].Count;
        w.Write("<table class=\"small\"><thead><tr>");
        foreach (var heading in headings)
            w.Write($"<th>{E(heading)}</th>");
        w.Write("<th></th></tr></thead><tbody>");
        foreach (var (cells, count) in top)
        {
            w.Write("<tr>");
            foreach (var cell in cells)
                w.Write($"<td>{E(cell)}</td>");
            var width = Math.Max(1, (int)Math.Round(120.0 * count / max));
            w.Write($"<td class=\"num\">{count.ToString("N0", CultureInfo.InvariantCulture)}</td><td><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"124\" height=\"12\"><rect class=\"bar v-flag\" x=\"0\" y=\"1\" width=\"{width}\" height=\"10\"/></svg></td></tr>");
        }

        w.Write("</tbody></table></section>\n");
    }

    private static void WriteTable(TextWriter w, IReadOnlyList<AuditCollision> all)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = all.OrderByDescending(r => r.Verdict).ThenBy(r => r.At).ThenBy(r => r.Record.Id, StringComparer.Ordinal).Take(MaxTableRows).ToList();
        w.Write("<section id=\"decisions\"><h2>Decisions</h2>\n<div class=\"filters\">");
        w.Write("<label>Filter <input id=\"filter\" type=\"search\" placeholder=\"name, owner, id, field…\" autocomplete=\"off\"></label>");
        w.Write("<label>Rule <select id=\"rule\"><option value=\"\">all</option>");
        foreach (var rule in all.Select(r => r.Rule).Distinct(StringComparer.Ordinal).OrderBy(r => r, StringComparer.Ordinal))
            w.Write($"<option>{E(rule)}</option>");
        w.Write("</select></label><label>Verdict <select id=\"verdict\"><option value=\"\">all</option><option>block</option><option>flag</option><option>allow</option></select></label>");
        w.Write($"<span id=\"shown\">{rows.Count.ToString("N0", inv)} of {rows.Count.ToString("N0", inv)} rows</span></div>\n");
        if (all.Count > rows.Count)
            w.Write($"<p class=\"note\">The table holds the first {rows.Count.ToString("N0", inv)} of {all.Count.ToString("N0", inv)} rows, strongest first; the JSON Lines file has them all.</p>");
        w.Write("<table id=\"rows\"><thead><tr><th>When</th><th>Rule</th><th>Verdict</th><th>Record</th><th>Collides with</th><th>Customer</th><th>Score</th><th>Evidence per field</th><th>Why</th></tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            var verdict = ReplayJson.VerdictName(row.Verdict);
            w.Write($"<tr data-rule=\"{E(row.Rule)}\" data-verdict=\"{verdict}\">");
            w.Write($"<td>{row.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv)}</td><td>{E(row.Rule)}</td>");
            w.Write($"<td><span class=\"pill v-{verdict}\">{verdict}</span>{(row.NotChecked ? " <span class=\"pill nc\">not checked</span>" : string.Empty)}</td>");
            w.Write($"<td>{Party(row.Record)}</td><td>{(row.Other is { } other ? Party(other) : "—")}{(row.Redacted ? "<div class=\"muted\">content withheld</div>" : string.Empty)}</td>");
            w.Write($"<td>{(row.Customer is { } customer ? Party(customer) : "—")}</td>");
            w.Write($"<td class=\"num\">{(row.Score is { } score ? score.ToString("0.000", inv) : string.Empty)}</td><td>");
            if (row.Evidence.Count > 0)
            {
                w.Write("<ul class=\"evidence\">");
                foreach (var evidence in row.Evidence)
                    w.Write($"<li><b>{E(evidence.Field)}</b> {E(evidence.Detail)} <span class=\"{(evidence.Weight < 0 ? "neg" : "pos")}\">{evidence.Weight.ToString("+0.0;-0.0;0", inv)}</span></li>");
                w.Write("</ul>");
            }

            w.Write($"</td><td>{E(row.Message)}</td></tr>\n");
        }

        w.Write("</tbody></table></section>\n");
    }

    private static string Party(AuditParty party)
    {
        var owner = party.OwnerName ?? party.OwnerId;
        return $"{E(party.Name ?? party.Id)} <span class=\"muted\">{E(party.Type)} {E(party.Id)}</span>" +
               (owner is null ? string.Empty : $"<div class=\"muted\">owner {E(owner)}</div>");
    }

    private static string E(string? text) => text is null ? string.Empty : Html.Encode(text);

    private const string Css =
        "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1f2328;max-width:1400px}" +
        "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}" +
        ".lead{color:#444}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eaeef2;padding:5px 7px;text-align:left;vertical-align:top}" +
        "table.small{width:auto}thead th{background:#f6f8fa;position:sticky;top:0}.num{text-align:right;font-variant-numeric:tabular-nums}" +
        ".muted{color:#656d76;font-size:12px}.chart{display:inline-block;margin:0 18px 10px 0}.chart figcaption{font-weight:600}" +
        ".axis{font-size:10px;fill:#656d76}.base{stroke:#8c959f}.bar.v-block,.sw.v-block{fill:#cf222e;background:#cf222e}" +
        ".bar.v-flag,.sw.v-flag{fill:#bf8700;background:#bf8700}.bar.v-allow,.sw.v-allow{fill:#1a7f37;background:#1a7f37}" +
        ".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}.pill{border-radius:9px;padding:1px 7px;font-size:12px;color:#fff}" +
        ".pill.v-block{background:#cf222e}.pill.v-flag{background:#9a6700}.pill.v-allow{background:#1a7f37}.pill.nc{background:#57606a}" +
        "b.v-block{color:#cf222e}b.v-flag{color:#9a6700}b.v-allow{color:#1a7f37}" +
        ".filters{display:flex;gap:16px;align-items:center;margin:8px 0}.filters input{width:260px}#shown{color:#656d76}" +
        ".evidence{margin:0;padding-left:16px}.pos{color:#1a7f37}.neg{color:#cf222e}.note{color:#9a6700}";

    // Reads only the page's own table; nothing is fetched, nothing from the data is evaluated.
    private const string Script =
        "(function(){var q=document.getElementById('filter'),r=document.getElementById('rule'),v=document.getElementById('verdict')," +
        "s=document.getElementById('shown'),rows=Array.prototype.slice.call(document.querySelectorAll('#rows tbody tr'));" +
        "rows.forEach(function(tr){tr.dataset.text=tr.textContent.toLowerCase();});" +
        "function apply(){var t=q.value.trim().toLowerCase(),n=0;rows.forEach(function(tr){var ok=(!t||tr.dataset.text.indexOf(t)>=0)&&" +
        "(!r.value||tr.dataset.rule===r.value)&&(!v.value||tr.dataset.verdict===v.value);tr.hidden=!ok;if(ok)n++;});" +
        "s.textContent=n.toLocaleString('en')+' of '+rows.length.toLocaleString('en')+' rows';}" +
        "q.addEventListener('input',apply);r.addEventListener('change',apply);v.addEventListener('change',apply);apply();})();";
}
