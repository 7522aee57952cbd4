using System.Collections;

namespace CrmGuardrails.Matching;

/// <summary>A list made when first read: keys that only some hosts read (the text-search terms) cost nothing to the others.</summary>
internal class LazyList<T>(Func<List<T>> make) : IReadOnlyList<T>
{
    private List<T>? _items;

    private List<T> Items => LazyInitializer.EnsureInitialized(ref _items, make)!;

    public int Count => Items.Count;

    public T this[int index] => Items[index];

    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
