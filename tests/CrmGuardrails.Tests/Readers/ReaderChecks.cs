using System.Text;
using CrmGuardrails.Embedded;
using CsCheck;

namespace CrmGuardrails.Tests.Readers;

/// <summary>What property tests of the readers check: only the reader's own exception, naming the file and a real line, and the same answer twice.</summary>
internal static class ReaderChecks
{
    /// <summary>
    /// The iterations of each property: a few hundred, so that all of them together take a few seconds in CI; more for a
    /// deeper search with CsCheck's own variable (<c>CsCheck_Iter=100000</c>).
    /// </summary>
    public static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var iterations) ? iterations : 300;

    /// <summary>Reads twice; returns the outcome (the result's text or the error's message), checking the error on the way.</summary>
    public static string Outcome(Func<string> read, string file, byte[] input)
    {
        var first = Once(read, file, input);
        var second = Once(read, file, input);
        Assert.Equal(first, second);
        return first;
    }

    public static string Once(Func<string> read, string file, byte[] input)
    {
        try
        {
            return "ok\n" + read();
        }
        catch (InputFormatException ex)
        {
            CheckMessage(ex.Message, file, input);
            Assert.Equal(file, ex.File);
            return "error\n" + ex.Message;
        }
    }

    /// <summary>A message names the file and, when it names a line, a line the input has; it quotes no .NET internals.</summary>
    public static void CheckMessage(string message, string file, byte[] input)
    {
        Assert.StartsWith(file + ":", message, StringComparison.Ordinal);
        var rest = message.Substring(file.Length + 1);
        var digits = rest.TakeWhile(char.IsAsciiDigit).Count();
        if (digits > 0)
        {
            Assert.True(int.TryParse(rest.AsSpan(0, digits), out var line), message);
            Assert.InRange(line, 1, LineBreaks(input) + 1);
            Assert.Equal(':', rest[digits]);
        }

        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    /// <summary>Line breaks as any reader may count them: CR LF, LF, or a CR alone (CSV).</summary>
    public static int LineBreaks(byte[] input)
    {
        var breaks = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == (byte)'\n' || (input[i] == (byte)'\r' && (i + 1 == input.Length || input[i + 1] != (byte)'\n')))
                breaks++;
        }

        return breaks;
    }

    /// <summary>Text a hostile tester puts in a field: formula prefixes, broken characters, control characters, huge numbers, deep nesting.</summary>
    public static readonly string[] HostileJsonValues =
    [
        "\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"", "\"+1+2\"", "\"-1+2\"", "\"@SUM(A1)\"", "\"\\t=1+1\"", "\"'=1\"",
        "\"\\ud800\"", "\"x\\udc00y\"", "\"\\u0000\"", "\"\\u0001\\u001f\"", "\"\\ufeff\"",
        "1e999999", "-1e999999", "123456789012345678901234567890", "0.000000000000000000000000001", "-0",
        new string('[', 100) + new string(']', 100), string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70),
        "null", "true", "{}", "[]", "\"\"", "\"   \"", "\"" + new string('x', 120_000) + "\"",
        "\"2026-11-23T10:00:00\"", "\"9999-12-31T23:59:59+14:00\"", "\"0001-01-01T00:00:00-14:00\"", "\"customer\"", "\"u1\"",
        "\"\u00e9\u4e2d\U0001F600\"", "\"\\\"", "\"unterminated", "}", "]", ",", ":", "/* c */ 1", "// c\n1",
    ];

    /// <summary>Raw bytes a hostile tester splices in: broken UTF-8, an encoded lone surrogate, byte-order marks, NUL, line breaks.</summary>
    public static readonly byte[][] HostileBytes =
    [
        [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0x00], [0x0D], [0x0A], [0x0D, 0x0A],
        [0xF4, 0x90, 0x80, 0x80], [0xC0, 0x80], [0x22], [0x2C], [0x5C],
    ];

    /// <summary>A valid file's bytes, changed: cut short, a byte replaced, hostile bytes spliced in, or one value replaced by hostile text.</summary>
    public static Gen<byte[]> Mutations(string valid, Func<string, IReadOnlyList<(int Start, int Length)>> values, string[] hostile)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        var spans = values(valid);
        return Gen.Frequency(
            (2, Gen.Int[0, bytes.Length].Select(n => bytes.AsSpan(0, n).ToArray())),
            (2, Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte, (at, b) =>
            {
                var copy = bytes.ToArray();
                copy[at] = b;
                return copy;
            })),
            (2, Gen.Select(Gen.Int[0, bytes.Length], Gen.Int[0, HostileBytes.Length - 1], (at, which) =>
                bytes.AsSpan(0, at).ToArray().Concat(HostileBytes[which]).Concat(bytes.AsSpan(at).ToArray()).ToArray())),
            (4, Gen.Select(Gen.Int[0, spans.Count - 1], Gen.Int[0, hostile.Length - 1], (which, text) =>
            {
                var (start, length) = spans[which];
                return Encoding.UTF8.GetBytes(valid.Substring(0, start) + hostile[text] + valid.Substring(start + length));
            })),
            (1, Gen.Byte.Array[0, 600]));
    }

    /// <summary>Where the JSON values (strings, numbers, literals) of a text are.</summary>
    public static IReadOnlyList<(int Start, int Length)> JsonValues(string json) =>
        System.Text.RegularExpressions.Regex.Matches(json, "(?<=:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false|null)")
            .Select(m => (m.Index, m.Length)).ToList();

    /// <summary>Where the fields of CSV text are (after the header).</summary>
    public static IReadOnlyList<(int Start, int Length)> CsvFields(string csv)
    {
        var fields = new List<(int, int)>();
        var start = csv.IndexOf('\n', StringComparison.Ordinal) + 1;
        var at = start;
        for (var i = start; i <= csv.Length; i++)
        {
            if (i == csv.Length || csv[i] is ',' or '\n')
            {
                fields.Add((at, i - at));
                at = i + 1;
            }
        }

        return fields;
    }
}
