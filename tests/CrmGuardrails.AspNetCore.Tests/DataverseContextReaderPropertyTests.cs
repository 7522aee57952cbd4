using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmGuardrails.Dataverse.Webhooks;
using CrmGuardrails.Hosting;
using CsCheck;

namespace CrmGuardrails.AspNetCore.Tests;

/// <summary>
/// Properties of the RemoteExecutionContext reader over contexts mutated from the fixtures (CsCheck): only a
/// <see cref="GuardEventFormatException"/> naming a path ever escapes, the same body always gets the same answer, values
/// handed to the host are safe for logs, and hostile values in a lead's non-structural attributes never cost the check.
/// </summary>
public sealed partial class DataverseContextReaderPropertyTests
{
    private const string Placeholder = "@@HOSTILE@@";

    private static readonly string[] ContextFixtures =
    [
        "appointment-update-reschedule.json", "email-create-inbound.json", "lead-create-async.json", "lead-create-duplicate.json",
        "lead-create-existing-customer.json", "lead-create-new-company.json", "lead-createmultiple.json",
        "phonecall-create-account-team.json", "phonecall-create-rep-collision.json",
    ];

    private static readonly byte[][] Bodies = [.. ContextFixtures.Select(f => File.ReadAllBytes(WebhookHost.Fixture(f)))];

    private static readonly DataverseWebhookEventReader Reader = new();

    /// <summary>The lead of lead-create-existing-customer.json as read unchanged.</summary>
    private static readonly Lead ExistingCustomerLead = (Lead)Reader.Read(File.ReadAllBytes(WebhookHost.Fixture("lead-create-existing-customer.json")), _ => null).Requests.Single().Record;

    /// <summary>A field path: names and indices (<c>InputParameters[0].value.Attributes[2].value</c>, <c>lead.firstname</c>, <c>$</c>).</summary>
    [GeneratedRegex(@"^(\$|[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*$")]
    private static partial Regex FieldPath();

    // ---- Generators ------------------------------------------------------------------------------------------------

    /// <summary>One change to a body's bytes: flip a bit, set a byte, truncate, insert bytes, or delete a run.</summary>
    private readonly record struct Mutation(int Kind, uint Position, int Length, byte Value);

    private static readonly Gen<Mutation> MutationGen = Gen.Select(Gen.Int[0, 4], Gen.UInt, Gen.Int[1, 48], Gen.Byte, (kind, position, length, value) => new Mutation(kind, position, length, value));

    private static readonly byte[] Interesting = [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'u', (byte)'0', (byte)'e', (byte)'/', 0x00, 0x0A, 0x80, 0xC3, 0xED, 0xF4, 0xFF];

    private static byte[] Apply(byte[] body, Mutation[] mutations)
    {
        var bytes = new List<byte>(body);
        foreach (var m in mutations)
        {
            if (bytes.Count == 0)
                break;
            var at = (int)(m.Position % (uint)bytes.Count);
            switch (m.Kind)
            {
                case 0:
                    bytes[at] ^= (byte)(1 << (m.Value & 7));
                    break;
                case 1:
                    bytes[at] = m.Value % 3 == 0 ? m.Value : Interesting[m.Value % Interesting.Length];
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, m.Length).Select(i => Interesting[(m.Value + i) % Interesting.Length]));
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(m.Length, bytes.Count - at));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>JSON string contents (already escaped where JSON needs it) that a host cannot read as they are.</summary>
    private static readonly Gen<byte[]> HostileTextPiece = Gen.OneOf(
        Gen.Const("plain "u8.ToArray()),
        Gen.OneOf(Gen.Const(@"\ud800"), Gen.Const(@"\udbff"), Gen.Const(@"\udc00"), Gen.Const(@"\udfff"), Gen.Const(@"\ud800\u0041"), Gen.Const(@"\\ud800"))
            .Select(s => Encoding.ASCII.GetBytes(s)),
        Gen.OneOf(Gen.Const(@"\r\n"), Gen.Const(@"\u0000"), Gen.Const(@"\u001b[2J"), Gen.Const(@"\u0085"), Gen.Const("\u2028"), Gen.Const("\u2029"), Gen.Const(@"\t"))
            .Select(s => Encoding.UTF8.GetBytes(s)),
        Gen.OneOf(Gen.Const(new byte[] { 0xFF }), Gen.Const(new byte[] { 0xC3, 0x28 }), Gen.Const(new byte[] { 0xED, 0xA0, 0x80 }), Gen.Const(new byte[] { 0xF4, 0x90, 0x80, 0x80 }), Gen.Const(new byte[] { 0xC0, 0xAF }), Gen.Const(new byte[] { 0xE2, 0x82 })),
        Gen.OneOf(Gen.Const("/Date("), Gen.Const("/Date(1e300)/"), Gen.Const("/Date(99999999999999999999)/"), Gen.Const("/Date(-1+0100)/"), Gen.Const(@"\/Date(1)\/"))
            .Select(s => Encoding.ASCII.GetBytes(s)),
        Gen.Int[1, 4096].Select(n => Encoding.ASCII.GetBytes(new string('x', n))),
        Gen.Char.Where(c => !char.IsSurrogate(c)).Array[0, 24].Select(chars => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new string(chars))[1..^1])));

    private static readonly Gen<byte[]> HostileText = HostileTextPiece.Array[1, 6].Select(pieces => (byte[])[(byte)'"', .. pieces.SelectMany(p => p), (byte)'"']);

    private static readonly Gen<string> HostileNumber = Gen.OneOf(
        Gen.Const("1e300"), Gen.Const("-1e300"), Gen.Const("1e400"), Gen.Const("-1e400"), Gen.Const("1e-400"), Gen.Const("-0"),
        Gen.Const("123456789012345678901234567890"), Gen.Const("9223372036854775808"), Gen.Const("2147483648"), Gen.Const("0.5"),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"));

    private static readonly Gen<byte[]> Nesting = Gen.Select(Gen.Int[1, 40], Gen.Bool, (depth, arrays) => Encoding.ASCII.GetBytes(arrays
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));

    private const string Contracts = ":http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts";

    /// <summary>Values of another JSON type, or a typed value (Money, OptionSetValue, EntityReference, EntityCollection) whose parts are broken.</summary>
    private static readonly Gen<byte[]> WrongType = Gen.OneOf(
        Gen.OneOf(
            Gen.Const("true"), Gen.Const("null"), Gen.Const("[]"), Gen.Const("{}"), Gen.Const("[1,\"a\",null]"), Gen.Const("42"),
            Gen.Const("{\"__type\":\"Money" + Contracts + "\",\"Value\":\"abc\"}"),
            Gen.Const("{\"__type\":\"Money" + Contracts + "\"}"),
            Gen.Const("{\"__type\":\"OptionSetValue" + Contracts + "\",\"Value\":{}}"),
            Gen.Const("[{\"__type\":\"OptionSetValue" + Contracts + "\",\"Value\":\"x\"}]"),
            Gen.Const("{\"__type\":\"EntityReference" + Contracts + "\",\"LogicalName\":\"account\"}"),
            Gen.Const("{\"__type\":\"EntityReference" + Contracts + "\",\"Id\":7,\"LogicalName\":\"\"}"),
            Gen.Const("{\"__type\":\"EntityCollection" + Contracts + "\",\"Entities\":5}"),
            Gen.Const("{\"Entities\":[1,{\"LogicalName\":3}]}"),
            Gen.Const("{\"__type\":\"Entity" + Contracts + "\",\"Attributes\":{}}"),
            Gen.Const("{\"__type\":42}"))
            .Select(s => Encoding.ASCII.GetBytes(s)),
        HostileNumber.Select(n => Encoding.ASCII.GetBytes("{\"__type\":\"Money" + Contracts + "\",\"Value\":" + n + "}")),
        HostileNumber.Select(n => Encoding.ASCII.GetBytes("{\"__type\":\"OptionSetValue" + Contracts + "\",\"Value\":" + n + "}")),
        HostileNumber.Select(n => Encoding.ASCII.GetBytes(n)),
        Nesting);

    /// <summary>Any value a hostile or broken sender could put in an attribute.</summary>
    private static readonly Gen<byte[]> AnyValue = Gen.Frequency((3, HostileText), (2, WrongType));

    /// <summary>A lookup whose name and id (never empty: a lookup always has one) are hostile text.</summary>
    private static readonly Gen<byte[]> HostileReference = Gen.Select(HostileText, HostileTextPiece.Array[0, 4], (name, id) => (byte[])
        [.. Encoding.ASCII.GetBytes("{\"__type\":\"EntityReference" + Contracts + "\",\"Id\":\"id-"), .. id.SelectMany(p => p), .. "\",\"LogicalName\":\"systemuser\",\"Name\":"u8, .. name, (byte)'}']);

    /// <summary>An added column's name: hostile text after a prefix no mapped column has (an empty name is a broken pair, not a value).</summary>
    private static readonly Gen<byte[]> HostileName = HostileTextPiece.Array[1, 4].Select(pieces => (byte[])[.. "\"new_"u8, .. pieces.SelectMany(p => p), (byte)'"']);

    /// <summary>
    /// A change to one attribute of lead-create-existing-customer.json that leaves the context's structure alone: a
    /// mapped text column gets hostile text, the owner a hostile name and id, an unmapped column (or an added one)
    /// anything; and whether the lead as read must stay as it was (only unmapped columns touched).
    /// </summary>
    private static readonly Gen<(string Key, byte[]? NewKey, byte[] Value, bool LeadUnchanged)> AttributeChange = Gen.OneOf(
        Gen.Select(Gen.OneOf(Gen.Const("firstname"), Gen.Const("lastname"), Gen.Const("companyname"), Gen.Const("emailaddress1")), HostileText, (key, value) => (key, (byte[]?)null, value, false)),
        HostileReference.Select(value => ("ownerid", (byte[]?)null, value, false)),
        Gen.Select(Gen.OneOf(Gen.Const("subject"), Gen.Const("leadsourcecode"), Gen.Const("estimatedamount")), AnyValue, (key, value) => (key, (byte[]?)null, value, true)),
        Gen.Select(Gen.OneOf(HostileName, Gen.Const("\"description\""u8.ToArray()), Gen.Const("\"new_notes\""u8.ToArray())), AnyValue, (key, value) => (string.Empty, (byte[]?)key, value, true)));

    // ---- Helpers ---------------------------------------------------------------------------------------------------

    /// <summary>Reads a body; returns a summary of the answer, or of the format error after checking that it names a path.</summary>
    private static string Answer(byte[] body)
    {
        try
        {
            var saveEvent = Reader.Read(body, _ => null);
            AssertSafeForLogs(saveEvent.CorrelationId);
            AssertSafeForLogs(saveEvent.Description);
            AssertSafeForLogs(saveEvent.SkipReason);
            AssertSafeForLogs(saveEvent.NotCheckedReason);
            return string.Join(
                "|",
                saveEvent.BeforeSave,
                saveEvent.Description,
                saveEvent.CorrelationId,
                saveEvent.SkipReason,
                saveEvent.NotCheckedReason,
                string.Join(";", saveEvent.Requests.Select(r => $"{r.Operation} {r.Table} {r.UserId} {r.CanReadPrevious} {r.OccurredAt:O} {r.Record} {r.Previous}")),
                string.Join(";", saveEvent.Saved),
                string.Join(";", saveEvent.Reread),
                string.Join(";", saveEvent.Deleted),
                string.Join(";", saveEvent.FlaggedBefore));
        }
        catch (GuardEventFormatException ex)
        {
            AssertSafeForLogs(ex.Message);
            if (ex.Field.Length == 0)
                Assert.Contains("not valid JSON", ex.Message);
            else
                Assert.Matches(FieldPath(), ex.Field);
            Assert.True(ex.Message.Length <= 400, ex.Message);
            return $"error {ex.Field} {ex.Message}";
        }
    }

    /// <summary>No control character, line or paragraph separator, or lone surrogate.</summary>
    private static void AssertSafeForLogs(string? text)
    {
        if (text is null)
            return;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029', $"control character U+{(int)c:X4} at {i} in: {text}");
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else
                Assert.False(char.IsSurrogate(c), $"lone surrogate at {i}");
        }
    }

    /// <summary>lead-create-existing-customer.json with one attribute's value (or a new attribute) replaced by raw bytes.</summary>
    private static byte[] ExistingCustomerWith(string key, byte[]? newKey, byte[] value)
    {
        var root = JsonNode.Parse(File.ReadAllText(WebhookHost.Fixture("lead-create-existing-customer.json")))!;
        var attributes = root["InputParameters"]![0]!["value"]!["Attributes"]!.AsArray();
        if (newKey is null)
            attributes.Single(a => (string?)a!["key"] == key)!["value"] = Placeholder;
        else
            attributes.Insert(0, new JsonObject { ["key"] = Placeholder + "key", ["value"] = Placeholder });
        var text = Encoding.UTF8.GetBytes(root.ToJsonString());
        if (newKey is not null)
            text = Splice(text, "\"" + Placeholder + "key\"", newKey);
        return Splice(text, "\"" + Placeholder + "\"", value);
    }

    private static byte[] Splice(byte[] bytes, string marker, byte[] with)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        var at = bytes.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return [.. bytes.AsSpan(0, at), .. with, .. bytes.AsSpan(at + needle.Length)];
    }

    // ---- Properties ------------------------------------------------------------------------------------------------

    [Fact]
    public void Read_MutatedFixtureBytes_OnlyFormatErrorsNamingAPath_AndTheSameAnswerTwice()
    {
        Gen.Select(Gen.Int[0, Bodies.Length - 1], MutationGen.Array[1, 4]).Sample((fixture, mutations) =>
        {
            var body = Apply(Bodies[fixture], mutations);

            var first = Answer(body);
            var second = Answer([.. body]);

            Assert.Equal(first, second);
        }, iter: 2000);
    }

    [Fact]
    public void Read_HostileValueInAnyAttributeOfAnyFixture_OnlyFormatErrorsNamingAPath_AndTheSameAnswerTwice()
    {
        // Every fixture, every attribute pair it holds (Targets, images, parties): the n-th '"value":' replaced.
        var valueMarker = "\"value\": "u8.ToArray();
        var positions = Bodies.Select(b => Enumerable.Range(0, b.Length).Where(i => b.AsSpan(i).StartsWith(valueMarker)).ToArray()).ToArray();
        Gen.Select(Gen.Int[0, Bodies.Length - 1], Gen.UInt, AnyValue).Sample((fixture, which, value) =>
        {
            var body = Bodies[fixture];
            var at = positions[fixture][which % positions[fixture].Length] + valueMarker.Length;
            var end = ValueEnd(body, at);
            byte[] mutated = [.. body.AsSpan(0, at), .. value, .. body.AsSpan(end)];

            Assert.Equal(Answer(mutated), Answer(mutated));
        }, iter: 2000);
    }

    [Fact]
    public void Read_HostileValueInANonStructuralAttributeOfASyncLeadCreate_StillOneRequestForTheLead()
    {
        AttributeChange.Sample(change =>
        {
            var body = ExistingCustomerWith(change.Key, change.NewKey, change.Value);

            var saveEvent = Reader.Read(body, _ => null);

            Assert.True(saveEvent.BeforeSave);
            Assert.Null(saveEvent.SkipReason);
            Assert.Null(saveEvent.NotCheckedReason);
            var request = Assert.Single(saveEvent.Requests);
            Assert.Equal(GuardOperation.Create, request.Operation);
            Assert.Equal("lead", request.Table);
            var lead = Assert.IsType<Lead>(request.Record);
            if (change.LeadUnchanged)
                Assert.Equal(ExistingCustomerLead, lead);
            Assert.Equal(Answer(body), Answer(body));
        }, iter: 1000, print: change => $"{change.Key}{(change.NewKey is null ? string.Empty : Encoding.UTF8.GetString(change.NewKey))} = {Encoding.UTF8.GetString(change.Value[..Math.Min(change.Value.Length, 200)])}");
    }

    /// <summary>The end of the JSON value starting at <paramref name="start"/> (a string, a number or literal, or a balanced object or array).</summary>
    private static int ValueEnd(byte[] body, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < body.Length; i++)
        {
            var b = body[i];
            if (inString)
            {
                if (b == '\\')
                    i++;
                else if (b == '"')
                {
                    inString = false;
                    if (depth == 0)
                        return i + 1;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (depth == 0)
                        return i;
                    if (--depth == 0)
                        return i + 1;
                    break;
                case (byte)',' when depth == 0:
                    return i;
            }
        }

        return body.Length;
    }
}
