using System.Globalization;
using System.Text;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// Text a caller sent, made safe to read and to log: a body whose every JSON string decodes (text that cannot be read
/// becomes U+FFFD, as a decoder would show it), and values that fit on one log line.
/// </summary>
internal static class ContextText
{
    /// <summary>The most characters of input a message quotes.</summary>
    public const int MaxQuoted = 64;

    /// <summary>The most characters of an id (a correlation id) handed to the host for its logs and answers.</summary>
    public const int MaxId = 128;

    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];

    private static readonly byte[] EscapedReplacement = Encoding.ASCII.GetBytes("\\uFFFD");

    /// <summary>
    /// Replaces what no JSON reader can decode into text: each ill-formed UTF-8 sequence (its maximal subpart, as the
    /// Unicode standard recommends) by U+FFFD, and each <c>\uXXXX</c> escape of a lone surrogate (a high surrogate not
    /// followed by a low one, or a low one alone) by <c>\uFFFD</c>. Everything else is left byte for byte.
    /// </summary>
    /// <param name="utf8Json">The body as received.</param>
    /// <returns>The body itself when nothing needed replacing (the usual case, no copy), else a sanitised copy.</returns>
    /// <remarks>
    /// Invalid bytes outside strings stay invalid JSON (U+FFFD is no JSON token), so what is structurally broken is still
    /// refused; only text becomes readable.
    /// </remarks>
    public static ReadOnlyMemory<byte> Sanitize(ReadOnlyMemory<byte> utf8Json)
    {
        var input = utf8Json.Span;
        ByteBuffer? output = null;
        var inString = false;
        var i = 0;
        while (i < input.Length)
        {
            var b = input[i];
            if (b >= 0x80)
            {
                var length = Utf8SequenceLength(input, i);
                if (length > 0)
                {
                    output?.Append(input.Slice(i, length));
                    i += length;
                }
                else
                {
                    output ??= ByteBuffer.Of(input, i);
                    output.Append(Replacement);
                    i -= length;
                }

                continue;
            }

            if (inString && b == '\\' && i + 1 < input.Length)
            {
                if (input[i + 1] == 'u' && TryHex4(input, i + 2, out var unit))
                {
                    if (unit is >= 0xD800 and <= 0xDBFF && i + 12 <= input.Length && input[i + 6] == '\\' && input[i + 7] == 'u' &&
                        TryHex4(input, i + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF)
                    {
                        output?.Append(input.Slice(i, 12));
                        i += 12;
                    }
                    else if (unit is >= 0xD800 and <= 0xDFFF)
                    {
                        output ??= ByteBuffer.Of(input, i);
                        output.Append(EscapedReplacement);
                        i += 6;
                    }
                    else
                    {
                        output?.Append(input.Slice(i, 6));
                        i += 6;
                    }

                    continue;
                }

                // Any other escape: the backslash and the ASCII byte it escapes (a quote does not end the string).
                if (input[i + 1] < 0x80)
                {
                    output?.Append(input.Slice(i, 2));
                    i += 2;
                    continue;
                }
            }

            if (b == '"')
                inString = !inString;
            output?.Append(input.Slice(i, 1));
            i++;
        }

        return output is null ? utf8Json : output.ToMemory();
    }

    /// <summary>
    /// Makes text safe for one log line: control characters (C0, DEL, C1), line and paragraph separators, bidirectional
    /// controls and lone surrogates are written as escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\uXXXX</c>), and text
    /// longer than <paramref name="max"/> characters is cut, ending in "…".
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="max">The most characters to return (at least 2).</param>
    /// <returns>The text, unchanged when it was already safe and short enough.</returns>
    public static string ForLog(string text, int max = MaxQuoted)
    {
        if (text is null)
            throw new ArgumentNullException(nameof(text));
        if (text.Length <= max && !NeedsEscaping(text))
            return text;

        var builder = new StringBuilder(Math.Min(text.Length, max) + 8);
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var consumed = pair ? 2 : 1;
            var piece = pair ? text.Substring(i, 2) : IsUnsafe(c) ? Escape(c) : null;
            var length = piece?.Length ?? 1;

            // Room is kept for the "…" while more text follows.
            if (builder.Length + length + (i + consumed < text.Length ? 1 : 0) > max)
                return builder.Append('…').ToString();
            if (piece is null)
                builder.Append(c);
            else
                builder.Append(piece);
            i += consumed;
        }

        return builder.ToString();
    }

    /// <summary>Quotes input in a message: at most <see cref="MaxQuoted"/> characters, made safe with <see cref="ForLog"/>.</summary>
    /// <param name="text">The input.</param>
    /// <returns>The quoted text.</returns>
    public static string Quote(string text) => "\"" + ForLog(text) + "\"";

    /// <summary>An id for the host's logs and answers: a GUID in lower-case "D" form, else the text made safe (<see cref="ForLog"/>).</summary>
    /// <param name="id">The id as sent, or <see langword="null"/>.</param>
    /// <returns>The id, or <see langword="null"/>.</returns>
    public static string? Id(string? id) =>
        id is null ? null : Guid.TryParse(id, out var guid) ? guid.ToString("D") : ForLog(id, MaxId);

    private static bool NeedsEscaping(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (IsUnsafe(c))
                return true;
        }

        return false;
    }

    /// <summary>Characters that can end a line, move the cursor, reorder what a reader sees, or that no encoder can write.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string Escape(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The length of the well-formed UTF-8 sequence starting at <paramref name="i"/> (Unicode Table 3-7), or minus the
    /// length of its maximal ill-formed subpart.
    /// </summary>
    private static int Utf8SequenceLength(ReadOnlySpan<byte> s, int i)
    {
        var lead = s[i];
        int trailing;
        byte low = 0x80, high = 0xBF;
        switch (lead)
        {
            case >= 0xC2 and <= 0xDF:
                trailing = 1;
                break;
            case 0xE0:
                trailing = 2;
                low = 0xA0;
                break;
            case 0xED:
                trailing = 2;
                high = 0x9F; // no encoded surrogates
                break;
            case (>= 0xE1 and <= 0xEC) or 0xEE or 0xEF:
                trailing = 2;
                break;
            case 0xF0:
                trailing = 3;
                low = 0x90;
                break;
            case >= 0xF1 and <= 0xF3:
                trailing = 3;
                break;
            case 0xF4:
                trailing = 3;
                high = 0x8F; // nothing over U+10FFFF
                break;
            default:
                return -1; // a continuation byte alone, an overlong lead (C0, C1) or F5..FF
        }

        for (var k = 1; k <= trailing; k++)
        {
            if (i + k >= s.Length)
                return -k;
            var next = s[i + k];
            if (k == 1 ? next < low || next > high : next is < 0x80 or > 0xBF)
                return -k;
        }

        return trailing + 1;
    }

    private static bool TryHex4(ReadOnlySpan<byte> s, int start, out int value)
    {
        value = 0;
        if (start + 4 > s.Length)
            return false;
        for (var k = 0; k < 4; k++)
        {
            var digit = s[start + k] switch
            {
                >= (byte)'0' and <= (byte)'9' and var d => d - '0',
                >= (byte)'a' and <= (byte)'f' and var d => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' and var d => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
                return false;
            value = (value << 4) | digit;
        }

        return true;
    }

    /// <summary>A growing copy of the body, made only once something needs replacing.</summary>
    private sealed class ByteBuffer
    {
        private byte[] _bytes;
        private int _count;

        private ByteBuffer(int capacity) => _bytes = new byte[capacity];

        /// <summary>A buffer holding the body up to <paramref name="end"/>.</summary>
        public static ByteBuffer Of(ReadOnlySpan<byte> input, int end)
        {
            var buffer = new ByteBuffer(input.Length + 64);
            buffer.Append(input.Slice(0, end));
            return buffer;
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (_count + bytes.Length > _bytes.Length)
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _count + bytes.Length));
            bytes.CopyTo(_bytes.AsSpan(_count));
            _count += bytes.Length;
        }

        public ReadOnlyMemory<byte> ToMemory() => new(_bytes, 0, _count);
    }
}
