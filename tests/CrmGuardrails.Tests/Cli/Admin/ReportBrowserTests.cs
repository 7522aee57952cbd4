using PuppeteerSharp;

namespace CrmGuardrails.Tests.Cli.Admin;

/// <summary>
/// The report opened in a real headless browser — Debian's chromium (installed by .ci/run), driven by PuppeteerSharp
/// without any browser download: it renders without console errors or network requests, the charts have data, the
/// table filters, and a screenshot is kept under TestResults/browser/.
/// </summary>
public sealed class ReportBrowserTests : AdminCli
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Report_InChromium_RendersChartsAndFilters()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is missing at {Chromium}: this test needs Debian's chromium (apt-get install -y chromium; .ci/run installs it). It does not download a browser.");
        var audit = In("c.jsonl");
        Assert.Equal(0, (await Run("audit", "-s", Write("org.json", PlantedOrg.Snapshot), "--at", PlantedOrg.At, "-o", audit)).Code);
        var report = In("report.html");
        Assert.Equal(0, (await Run("report", "--in", audit, "--out", report, "--title", "Planted org <audit>")).Code);

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            Timeout = 60_000,
        });
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 900 });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
                problems.Add("console: " + e.Message.Text);
        };
        page.PageError += (_, e) => problems.Add("page error: " + e.Message);
        page.Request += (_, e) =>
        {
            if (!e.Request.Url.StartsWith("file://", StringComparison.Ordinal))
                requests.Add(e.Request.Url);
        };

        await page.GoToAsync(new Uri(report).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });

        Assert.Equal("Planted org <audit>", await page.GetTitleAsync());
        Assert.Equal(4, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#per-day figure.chart svg').length"));
        Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#per-day svg rect.bar').length") >= 4);
        Assert.True(await page.EvaluateExpressionAsync<double>("Math.max(...Array.from(document.querySelectorAll('#per-day svg rect.bar')).map(r => r.getBBox().height))") > 0);
        Assert.Equal(4, await VisibleRows(page));
        Assert.Equal("4 of 4 rows", await page.EvaluateExpressionAsync<string>("document.getElementById('shown').textContent"));

        await page.TypeAsync("#filter", "tailspin");
        Assert.Equal(1, await VisibleRows(page));
        Assert.Equal("duplicate-lead", await page.EvaluateExpressionAsync<string>("document.querySelector('#rows tbody tr:not([hidden])').dataset.rule"));

        await ClearFilter(page);
        await page.TypeAsync("#filter", "Lee Chen");
        Assert.Equal(3, await VisibleRows(page));

        await ClearFilter(page);
        await page.SelectAsync("#rule", "rep-collision");
        Assert.Equal(1, await VisibleRows(page));
        await page.SelectAsync("#rule", string.Empty);
        await page.SelectAsync("#verdict", "flag");
        Assert.Equal(1, await VisibleRows(page));
        Assert.Equal("1 of 4 rows", await page.EvaluateExpressionAsync<string>("document.getElementById('shown').textContent"));
        await page.SelectAsync("#verdict", string.Empty);

        await page.TypeAsync("#filter", "no such thing");
        Assert.Equal(0, await VisibleRows(page));
        await ClearFilter(page);

        var screenshot = ScreenshotPath("report.png");
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 1000);
        Assert.Empty(problems);
        Assert.Empty(requests);
    }

    private static Task<int> VisibleRows(IPage page) =>
        page.EvaluateExpressionAsync<int>("document.querySelectorAll('#rows tbody tr:not([hidden])').length");

    private static async Task ClearFilter(IPage page)
    {
        await page.EvaluateExpressionAsync("document.getElementById('filter').value = ''");
        await page.TypeAsync("#filter", " ");
        await page.Keyboard.PressAsync("Backspace");
    }

    /// <summary>TestResults/browser/ at the repository's root (where .ci/run collects results), made when missing.</summary>
    private static string ScreenshotPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrmGuardrails.slnx")))
            {
                var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, "TestResults", "browser"));
                return Path.Combine(folder.FullName, name);
            }
        }

        throw new InvalidOperationException($"The repository's root was not found above {AppContext.BaseDirectory}.");
    }
}
