using CrmGuardrails.Matching.Index;

namespace CrmGuardrails.Tests.Matching.Index;

public class KeyWriterTests
{
    [Fact]
    public void A_record_writes_each_key_once_and_the_next_record_writes_it_again()
    {
        // The index takes every key a writer hands it as a posting of its record: repeats must stop here.
        var writer = new HashKeyWriter();
        writer.NextRecord();
        writer.Add("n:", "contoso", KeyKind.Name);
        writer.Begin("n:", KeyKind.Name).Append("conto").Append("so").End();
        writer.Add("t:", "contoso", KeyKind.NameWord);
        writer.NextRecord();
        writer.Add("n:", "contoso", KeyKind.Name);

        Assert.Equal(3, writer.Keys.Count);
        Assert.Equal(writer.Keys[0].Hash, writer.Keys[2].Hash);
        Assert.NotEqual(writer.Keys[0].Hash, writer.Keys[1].Hash);
    }

    [Fact]
    public void Text_keys_are_written_once_as_well()
    {
        var writer = new StringKeyWriter();
        writer.Add("n:", "contoso", KeyKind.Name);
        writer.Begin("n:", KeyKind.Name).Append("conto").Append("so").End();

        Assert.Equal(["n:contoso"], writer.Keys);
    }
}
