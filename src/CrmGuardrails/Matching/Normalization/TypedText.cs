using System.Net;
using System.Text;

namespace CrmGuardrails.Matching.Normalization;

/// <summary>
/// Undoes what exports, imports and web forms do to text on its way into a CRM: HTML entities from a form
/// ("Smith &amp;amp; Sons", "O&amp;#39;Brien") and UTF-8 read as Windows-1252 by an import ("CafÃ©" for "Café").
/// </summary>
internal static class TypedText
{
    /// <summary>Returns the text as it was typed, or the same instance when nothing needs undoing.</summary>
    public static string Repair(string text) => WithoutMojibake(WithoutEntities(text));

    /// <summary>Decodes HTML entities; twice at most, for text that a form escaped twice ("&amp;amp;").</summary>
    private static string WithoutEntities(string text)
    {
        for (var round = 0; round < 2; round++)
        {
            var amp = text.IndexOf('&');
            if (amp < 0 || text.IndexOf(';', amp) < 0)
                return text;
            var decoded = WebUtility.HtmlDecode(text);
            if (ReferenceEquals(decoded, text) || decoded == text)
                return text;
            text = decoded;
        }

        return text;
    }

    /// <summary>
    /// Reads the text's characters back as the Windows-1252 bytes they came from and those bytes as UTF-8, when every
    /// character is such a byte, the bytes are valid UTF-8 and they hold at least one character beyond ASCII. Text that
    /// was typed right has characters outside Windows-1252, or bytes that are not UTF-8, and is kept.
    /// </summary>
    private static string WithoutMojibake(string text)
    {
        if (!MayBeMojibake(text))
            return text;
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var b = Windows1252Byte(text[i]);
            if (b < 0)
                return text;
            bytes[i] = (byte)b;
        }

        return IsUtf8(bytes) ? Encoding.UTF8.GetString(bytes) : text;
    }

    /// <summary>A UTF-8 lead byte read as a letter (Ã, Â, Ä, Å, â…) followed by a continuation byte read as a character.</summary>
    private static bool MayBeMojibake(string text)
    {
#if NET8_0_OR_GREATER
        // Most text has no such letter at all: found (or not) by a vectorised search.
        var start = text.AsSpan().IndexOfAnyInRange('\u00C2', '\u00F4');
        if (start < 0)
            return false;
#else
        const int start = 0;
#endif
        for (var i = start; i + 1 < text.Length; i++)
        {
            if (text[i] is >= '\u00C2' and <= '\u00F4' && Windows1252Byte(text[i + 1]) is >= 0x80 and <= 0xBF)
                return true;
        }

        return false;
    }

    /// <summary>The Windows-1252 byte of a character, or -1 (bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D pass through as C1 controls).</summary>
    private static int Windows1252Byte(char ch) => ch switch
    {
        < '\u0080' => ch,
        >= '\u00A0' and <= '\u00FF' => ch,
        '\u0081' or '\u008D' or '\u008F' or '\u0090' or '\u009D' => ch,
        '€' => 0x80, '‚' => 0x82, 'ƒ' => 0x83, '„' => 0x84, '…' => 0x85, '†' => 0x86, '‡' => 0x87, 'ˆ' => 0x88,
        '‰' => 0x89, 'Š' => 0x8A, '‹' => 0x8B, 'Œ' => 0x8C, 'Ž' => 0x8E, '‘' => 0x91, '’' => 0x92, '“' => 0x93,
        '”' => 0x94, '•' => 0x95, '–' => 0x96, '—' => 0x97, '˜' => 0x98, '™' => 0x99, 'š' => 0x9A, '›' => 0x9B,
        'œ' => 0x9C, 'ž' => 0x9E, 'Ÿ' => 0x9F,
        _ => -1,
    };

    /// <summary>Tells whether bytes are well-formed UTF-8 with at least one multi-byte sequence.</summary>
    private static bool IsUtf8(byte[] bytes)
    {
        var multiByte = false;
        for (var i = 0; i < bytes.Length;)
        {
            var b = bytes[i];
            int length = b < 0x80 ? 1 : b is >= 0xC2 and <= 0xDF ? 2 : b is >= 0xE0 and <= 0xEF ? 3 : b is >= 0xF0 and <= 0xF4 ? 4 : 0;
            if (length == 0 || i + length > bytes.Length)
                return false;
            for (var k = 1; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                    return false;
            }

            // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF are not UTF-8.
            if ((b == 0xE0 && bytes[i + 1] < 0xA0) || (b == 0xED && bytes[i + 1] > 0x9F) ||
                (b == 0xF0 && bytes[i + 1] < 0x90) || (b == 0xF4 && bytes[i + 1] > 0x8F))
                return false;
            multiByte |= length > 1;
            i += length;
        }

        return multiByte;
    }
}
