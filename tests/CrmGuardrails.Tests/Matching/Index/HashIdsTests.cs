using CrmGuardrails.Matching.Index;

namespace CrmGuardrails.Tests.Matching.Index;

public class HashIdsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(37)]
    [InlineData(5000)]
    public void Every_key_keeps_its_id_through_growth_and_wrap_around(int expected)
    {
        // Sized for fewer keys than are added, so the table grows (to lengths that are no power of two); hashes that
        // differ only in their high bits and the value 0 (stored as 1) are among them.
        var ids = new HashIds(expected);
        var keys = Enumerable.Range(0, 20_000).Select(i => i % 3 == 0 ? (ulong)i << 40 : (ulong)i * 0x9E3779B97F4A7C15UL).Append(0UL).Distinct().ToList();

        for (var i = 0; i < keys.Count; i++)
            Assert.Equal(i, ids.GetOrAdd(keys[i]));

        Assert.Equal(keys.Count, ids.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(i, ids.Find(keys[i]));
            Assert.Equal(i, ids.GetOrAdd(keys[i]));
        }

        Assert.Equal(-1, ids.Find(0xDEADBEEFUL));
    }
}
