using System.Text;
using System.Text.Json;
using CrmGuardrails.Cli;
using CrmGuardrails.Embedded;
using CrmGuardrails.Tests.Readers;
using CrmGuardrails.Tests.TestSupport;
using CsCheck;

namespace CrmGuardrails.Tests.Cli;

public sealed class PolicyFileTests : IDisposable
{
    private const string Valid = """
        {
          "CrmGuardrails": {
            "TimeBudget": "00:00:01.500",
            "OnLookupFailure": "Block",
            "Redaction": false,
            "ExistingCustomer": { "BlockAtScore": 0.95, "FlagAtScore": 0.6, "Name": "customers" },
            "ChannelFanout": { "Window": "12:00:00" },
            "Reschedule": { "Enabled": false, "FlagFromMove": 3 }
          }
        }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string json) => _folder.Write("policy.json", json);

    private static IReadOnlyList<string> Problems(Action load)
    {
        try
        {
            load();
        }
        catch (BadInputException ex)
        {
            return ex.Problems;
        }
        catch (InputFormatException ex)
        {
            return [ex.Message];
        }

        return [];
    }

    [Fact]
    public void Load_DocumentedExample_SetsEveryValue()
    {
        var options = PolicyFile.Load(new FileInfo(Write(Valid)));

        Assert.Equal(TimeSpan.FromSeconds(1.5), options.TimeBudget);
        Assert.Equal(LookupFailureVerdict.Block, options.OnLookupFailure);
        Assert.False(options.Redaction);
        Assert.Equal(0.95, options.ExistingCustomer.BlockAtScore);
        Assert.Equal("customers", options.ExistingCustomer.Name);
        Assert.Equal(TimeSpan.FromHours(12), options.ChannelFanout.Window);
        Assert.Equal(3, options.Reschedule.FlagFromMove);
        Assert.False(options.Reschedule.Enabled);
    }

    [Fact]
    public void Load_WithoutWrapperAndInOtherCase_IsReadAsConfigurationWould()
    {
        var options = PolicyFile.Load(new FileInfo(Write("""{"timeBudget": "00:00:03", "repCollision": {"plannedWindow": "1.00:00:00"}}""")));

        Assert.Equal(TimeSpan.FromSeconds(3), options.TimeBudget);
        Assert.Equal(TimeSpan.FromDays(1), options.RepCollision.PlannedWindow);
    }

    [Fact]
    public void Load_AppSettingsWithOtherSections_ReadsOnlyOurs()
    {
        var options = PolicyFile.Load(new FileInfo(Write("""{"Logging": {"LogLevel": {"Default": "Information"}}, "AllowedHosts": "*", "CrmGuardrails": {"Redaction": false}}""")));

        Assert.False(options.Redaction);
    }

    [Theory]
    [InlineData("""{"CrmGuardrails":{"RepCollision":5}}""", "policy.json:1: CrmGuardrails.RepCollision: is a section: expected an object of settings ({ ... }), found the number 5.")]
    [InlineData("""{"CrmGuardrails":{"ExistingCustomer":{"BlockAtScore":"0.9"}}}""", "policy.json:1: CrmGuardrails.ExistingCustomer.BlockAtScore: expected a number, found the string \"0.9\" (write numbers without quotes).")]
    [InlineData("""{"CrmGuardrails":{"TimeBuget":"00:00:01"}}""", "policy.json:1: CrmGuardrails.TimeBuget: is not a setting (did you mean TimeBudget?).")]
    [InlineData("""{"CrmGuardrails":{"Enabled":true}}""", "policy.json:1: CrmGuardrails.Enabled: is not a setting; the settings here are ExistingCustomer, DuplicateLead, RepCollision, ChannelFanout, Reschedule, TimeBudget, OnLookupFailure, Redaction, Shadow.")]
    [InlineData("""{"CrmGuardrails":{"Reschedule":{"FlagFromMove":1.5}}}""", "policy.json:1: CrmGuardrails.Reschedule.FlagFromMove: expected a whole number, found 1.5.")]
    [InlineData("""{"CrmGuardrails":{"Reschedule":{"FlagFromMove":99999999999}}}""", "policy.json:1: CrmGuardrails.Reschedule.FlagFromMove: 99999999999 is too large a number.")]
    [InlineData("""{"CrmGuardrails":{"Reschedule":{"FlagFromMove":0}}}""", "policy.json:1: CrmGuardrails.Reschedule.FlagFromMove: 0 is out of range: it must be from 1 to 100.")]
    [InlineData("""{"CrmGuardrails":{"OnLookupFailure":"Maybe"}}""", "policy.json:1: CrmGuardrails.OnLookupFailure: expected one of Flag, Block, found the string \"Maybe\".")]
    [InlineData("""{"CrmGuardrails":{"OnLookupFailure":1}}""", "policy.json:1: CrmGuardrails.OnLookupFailure: expected one of Flag, Block, found the number 1.")]
    [InlineData("""{"CrmGuardrails":{"TimeBudget":"abc"}}""", "policy.json:1: CrmGuardrails.TimeBudget: expected a time span such as \"00:00:02\" (two seconds) or \"1.00:00:00\" (one day), found the string \"abc\".")]
    [InlineData("""{"CrmGuardrails":{"ExistingCustomer":{"Enabled":"yes"}}}""", "policy.json:1: CrmGuardrails.ExistingCustomer.Enabled: expected true or false, found the string \"yes\".")]
    [InlineData("""{"CrmGuardrails":{"ExistingCustomer":{"BlockAtScore":0.5,"FlagAtScore":0.9}}}""", "policy.json:1: CrmGuardrails.ExistingCustomer.FlagAtScore: FlagAtScore (0.9) must not be greater than BlockAtScore (0.5).")]
    [InlineData("""{"CrmGuardrails":5}""", "policy.json:1: CrmGuardrails: expected an object of settings ({ ... }), found the number 5.")]
    [InlineData("""{"TimeBudget":"00:00:01","CrmGuardrails":{}}""", "policy.json:1: TimeBudget: is a setting of the 'CrmGuardrails' section, outside it; move it inside.")]
    [InlineData("""[1]""", "policy.json:1: expected an object of settings, found an array.")]
    [InlineData("", "policy.json:1: the file is empty; expected JSON.")]
    public void Load_BadPolicy_SaysWhatAndWhereInPlainWords(string json, string expected)
    {
        var path = Write(json);

        var problems = Problems(() => PolicyFile.Load(new FileInfo(path)));

        Assert.Equal([expected.Replace("policy.json", path, StringComparison.Ordinal)], problems);
    }

    [Fact]
    public void Load_SeveralProblems_ListsEachOnceWithItsLine()
    {
        var path = Write("""
            {
              "CrmGuardrails": {
                "RepCollision": { "PlannedWindow": "x" },
                "TimeBudget": 5,
                "Foo": 1,
                "Foo": 2,
                "timebudget": "00:00:01"
              }
            }
            """);

        var problems = Problems(() => PolicyFile.Load(new FileInfo(path)));

        Assert.Equal(
            [
                $"{path}:3: CrmGuardrails.RepCollision.PlannedWindow: expected a time span such as \"00:00:02\" (two seconds) or \"1.00:00:00\" (one day), found the string \"x\".",
                $"{path}:4: CrmGuardrails.TimeBudget: expected a time span such as \"00:00:02\" (two seconds) or \"1.00:00:00\" (one day), found the number 5.",
                $"{path}:5: CrmGuardrails.Foo: is not a setting; the settings here are ExistingCustomer, DuplicateLead, RepCollision, ChannelFanout, Reschedule, TimeBudget, OnLookupFailure, Redaction, Shadow.",
                $"{path}:7: CrmGuardrails.timebudget: appears twice (also on line 4; keys are compared without case).",
            ],
            problems);
    }

    [Fact]
    public void Load_Folder_SaysItIsAFolder()
    {
        var problems = Problems(() => PolicyFile.Load(new FileInfo(_folder.Info.FullName)));

        Assert.Equal([$"{_folder.Info.FullName}: cannot be read: it is a folder, not a file."], problems);
    }

    [Fact]
    public void Load_Utf16WithByteOrderMark_IsRead()
    {
        var path = _folder.Write("policy.json", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("""{"CrmGuardrails": {"Redaction": false}}""")]);

        Assert.False(PolicyFile.Load(new FileInfo(path)).Redaction);
    }

    [Fact]
    public void Load_MutatedOrArbitraryPolicy_OnlyNamedProblems_EachOnce_SameAnswerTwice()
    {
        var hostile = ReaderChecks.HostileJsonValues.Concat(["\"00:00:00\"", "\"-00:00:01\"", "\"10675199.02:48:05.4775807\"", "\"Flag\"", "\"block\"", "0.5", "101", "-1", "2147483648", "{\"Enabled\": 1}"]).ToArray();
        ReaderChecks.Mutations(Valid, ReaderChecks.JsonValues, hostile).Sample(
            bytes =>
            {
                var path = _folder.Write($"{Guid.NewGuid():N}.json", bytes);
                var first = Outcome(path, bytes);
                Assert.Equal(first, Outcome(path, bytes));
            },
            iter: ReaderChecks.Iterations);
    }

    private static string Outcome(string path, byte[] bytes)
    {
        try
        {
            return "ok\n" + JsonSerializer.Serialize(PolicyFile.Load(new FileInfo(path)));
        }
        catch (InputFormatException ex)
        {
            ReaderChecks.CheckMessage(ex.Message, path, bytes);
            return "error\n" + ex.Message;
        }
        catch (BadInputException ex)
        {
            Assert.NotEmpty(ex.Problems);
            Assert.Equal(ex.Problems.Count, ex.Problems.Distinct().Count());
            foreach (var problem in ex.Problems)
                ReaderChecks.CheckMessage(problem, path, bytes);
            return "error\n" + ex.Message;
        }
    }
}
