using System.Text.Json.Nodes;
using CrmGuardrails.Dataverse.Emulator;
using CrmGuardrails.Dataverse.Internal;

namespace CrmGuardrails.Dataverse.Tests;

public sealed class ODataFilterTests
{
    [Theory]
    [InlineData("Contoso", "'Contoso'")]
    [InlineData("O'Brian", "'O''Brian'")]
    [InlineData("x' or name ne '", "'x'' or name ne '''")]
    [InlineData("''", "''''''")]
    public void Quote_DoublesSingleQuotes(string value, string expected) => Assert.Equal(expected, ODataFilter.Quote(value));

    [Theory]
    [InlineData("{78914942-34CB-ED11-B596-0022481D68CD}", "78914942-34cb-ed11-b596-0022481d68cd")]
    [InlineData(" 78914942-34cb-ed11-b596-0022481d68cd ", "78914942-34cb-ed11-b596-0022481d68cd")]
    public void TryGuid_Valid_ReturnsCanonicalLiteral(string id, string expected)
    {
        Assert.True(ODataFilter.TryGuid(id, out var literal));
        Assert.Equal(expected, literal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("78914942-34cb-ed11-b596-0022481d68cd) or (1 eq 1")]
    [InlineData("x' or 1 eq 1 or '")]
    public void GuidLiteral_Invalid_Throws(string id)
    {
        Assert.False(ODataFilter.TryGuid(id, out _));
        Assert.Throws<ArgumentException>(() => ODataFilter.GuidLiteral(id));
    }

    [Theory]
    [InlineData("rapid_urban", "startswith(name,'rapid[_]urban')")]
    [InlineData("50% off", "startswith(name,'50[%] off')")]
    [InlineData("[x]", "startswith(name,'[[]x]')")]
    [InlineData("o'brien_", "startswith(name,'o''brien[_]')")]
    public void StartsWith_EscapesEveryLikeWildcard(string value, string expected) =>
        Assert.Equal(expected, ODataFilter.StartsWith("name", value)); // Dataverse reads %, _ and [ as LIKE wildcards

    [Fact]
    public void In_EscapesJsonStrings()
    {
        var filter = ODataFilter.In("emailaddress1", ["a\"b@x.com", "c'd@x.com", "back\\slash"]);

        Assert.Equal("Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=[\"a\\\"b@x.com\",\"c'd@x.com\",\"back\\\\slash\"])", filter);
    }

    [Fact]
    public void OrAnd_SkipEmptyTermsAndParenthesise()
    {
        Assert.Equal(string.Empty, ODataFilter.Or([]));
        Assert.Equal("a eq 1", ODataFilter.Or(["", "a eq 1"]));
        Assert.Equal("(a eq 1 and (b eq 2 or c eq 3))", ODataFilter.And("a eq 1", ODataFilter.Or(["b eq 2", "c eq 3"]), ""));
    }

    [Fact]
    public void FilterTerms_CapsAndDeduplicates()
    {
        var terms = new FilterTerms(2);
        terms.Add("a eq 1");
        terms.Add("a eq 1");
        terms.Add("b eq 2");
        terms.Add("c eq 3");

        Assert.Equal("(a eq 1 or b eq 2)", terms.ToOr());
    }

    [Theory]
    [InlineData("x' or name ne '")]
    [InlineData("') or (name ne '")]
    [InlineData("O'Brian & Söhne, \"Ltd\"")]
    public void BuiltFilters_EvaluatedByEmulator_MatchOnlyTheLiteral(string name)
    {
        var rows = new[]
        {
            new JsonObject { ["name"] = name },
            new JsonObject { ["name"] = "Contoso" },
            new JsonObject { ["name"] = "" },
        };

        foreach (var filter in new[]
        {
            ODataFilter.Eq("name", name),
            ODataFilter.StartsWith("name", name),
            ODataFilter.In("name", [name, "nothing"]),
            ODataFilter.And("statecode eq null", ODataFilter.Eq("name", name)),
        })
        {
            var evaluator = ODataFilterEvaluator.Parse(filter);
            Assert.Equal(new[] { true, false, false }, rows.Select(r => evaluator.Matches(r)).ToArray());
        }
    }

    [Fact]
    public void Evaluator_SupportsTheDirectorySubset()
    {
        var row = new JsonObject
        {
            ["activityid"] = "78914942-34cb-ed11-b596-0022481d68cd",
            ["statecode"] = 3,
            ["createdon"] = "2026-01-10T09:00:00Z",
            ["websiteurl"] = "https://www.Contoso.com/",
            ["emailaddress1"] = "info@contoso.com",
        };
        var parties = new List<JsonObject> { new() { ["_partyid_value"] = "11111111-2222-3333-4444-555555555555" } };
        NavigationResolver navigate = (nav, _) => nav == "activitypointer_activity_parties" ? parties : null;

        bool Eval(string filter) => ODataFilterEvaluator.Parse(filter).Matches(row, navigate);

        Assert.True(Eval("(statecode eq 0 or statecode eq 3) and createdon ge 2026-01-01T00:00:00Z"));
        Assert.False(Eval("createdon lt 2026-01-01T00:00:00Z"));
        Assert.True(Eval("contains(websiteurl,'contoso.com') and endswith(emailaddress1,'@CONTOSO.com')"));
        Assert.True(Eval("activityid eq 78914942-34CB-ED11-B596-0022481D68CD"));
        Assert.True(Eval("activitypointer_activity_parties/any(p:p/_partyid_value eq 11111111-2222-3333-4444-555555555555)"));
        Assert.False(Eval("activitypointer_activity_parties/any(p:p/_partyid_value eq 11111111-2222-3333-4444-555555555556)"));
        Assert.True(Eval("statecode in (1,3)"));
        Assert.True(Eval("not (statecode ne 3)"));
        Assert.Throws<FormatException>(() => Eval("frobnicate(name)"));
        Assert.Throws<FormatException>(() => Eval("name eq 'unterminated"));
    }
}
