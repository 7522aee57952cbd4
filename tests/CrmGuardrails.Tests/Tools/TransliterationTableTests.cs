using System.IO.Compression;
using CrmGuardrails.Tools;

namespace CrmGuardrails.Tests.Tools;

/// <summary>
/// The embedded transliteration table is what eng/tools/TransliterationTable builds from the AnyAscii package the
/// repository pins: after an upgrade, this test fails until the table is regenerated. (Not in the invariant-mode
/// project: building the compositions needs the runtime's normalisation, which invariant mode lacks.)
/// </summary>
public class TransliterationTableTests
{
    [Fact]
    public void EmbeddedTable_IsTheAnyAsciiBuild()
    {
        using var embedded = typeof(CrmGuardrails.Matching.RecordMatcher).Assembly.GetManifestResourceStream("CrmGuardrails.Resources.transliteration.bin.gz")!;

        Assert.Equal(Decompress(TransliterationTableBuilder.Build()), Decompress(embedded));
    }

    [Fact]
    public void Compositions_CoverLatinCyrillicKanaAndHalfWidthKana()
    {
        var pairs = TransliterationTableBuilder.Compositions().ToDictionary(c => (c.Base, c.Mark), c => c.Composed);

        Assert.Equal('ü', pairs[('u', 0x0308)]);
        Assert.Equal('й', pairs[('и', 0x0306)]);
        Assert.Equal('ガ', pairs[('カ', 0x3099)]);
        Assert.Equal('ガ', pairs[('ｶ', 0xFF9E)]);
    }

    private static byte[] Decompress(byte[] bytes) => Decompress(new MemoryStream(bytes));

    private static byte[] Decompress(Stream stream)
    {
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
