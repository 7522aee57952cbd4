using CrmGuardrails.Matching.Index;

namespace CrmGuardrails.Tests.Matching.Index;

public class KeyIndexTests
{
    [Fact]
    public void A_key_of_one_record_and_a_shared_key_both_give_their_slots_in_the_order_added()
    {
        var index = new KeyIndex();
        index.Add(11, 0);
        index.Add(22, 0);
        index.Add(22, 1);
        index.Add(22, 4);
        index.Freeze();

        Assert.Equal([0], Slots(index.Find(11)));
        Assert.Equal([0, 1, 4], Slots(index.Find(22)));
        Assert.Equal(0, index.Find(33).Count);
        Assert.Equal(2, index.KeyCount);
    }

    [Fact]
    public void Records_added_after_the_freeze_follow_the_frozen_ones()
    {
        var index = new KeyIndex();
        index.Add(11, 0);
        index.Add(22, 1);
        index.Add(22, 2);
        index.Freeze();
        index.Add(11, 5);
        index.Add(22, 6);
        index.Add(33, 7);

        Assert.Equal([0, 5], Slots(index.Find(11)));
        Assert.Equal([1, 2, 6], Slots(index.Find(22)));
        Assert.Equal([7], Slots(index.Find(33)));
    }

    [Fact]
    public void Live_counting_skips_dead_slots_and_stops_past_the_limit()
    {
        var index = new KeyIndex();
        for (var slot = 0; slot < 10; slot++)
            index.Add(5, slot);
        index.Freeze();

        var postings = index.Find(5);
        Assert.Equal(5, postings.CountLive(slot => slot % 2 == 0, 100));
        Assert.Equal(4, postings.CountLive(slot => true, 3));
    }

    [Fact]
    public void Many_keys_grow_the_table_and_keep_every_slot()
    {
        var index = new KeyIndex();
        for (var slot = 0; slot < 5000; slot++)
        {
            index.Add((ulong)slot * 7919, slot);
            index.Add((ulong)(slot % 10) + 1_000_000, slot);
        }

        index.Freeze();
        for (var slot = 0; slot < 5000; slot += 97)
            Assert.Equal([slot], Slots(index.Find((ulong)slot * 7919)));
        Assert.Equal(500, index.Find(1_000_003).Count);
        Assert.Equal(3, index.Find(1_000_003)[0]);
    }

    [Fact]
    public void An_index_is_read_only_once_frozen()
    {
        var index = new KeyIndex();
        index.Add(1, 0);

        Assert.Throws<InvalidOperationException>(() => index.Find(1));
    }

    private static int[] Slots(KeyIndex.Postings postings)
    {
        var slots = new int[postings.Count];
        for (var i = 0; i < slots.Length; i++)
            slots[i] = postings[i];
        return slots;
    }
}
