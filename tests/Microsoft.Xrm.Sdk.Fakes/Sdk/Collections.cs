#nullable enable
using System.Collections.ObjectModel;

namespace Microsoft.Xrm.Sdk;

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.DataCollection&lt;TKey,TValue&gt;</c>: a keyed collection with a throwing indexer getter.</summary>
public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items;

    protected DataCollection(IEqualityComparer<TKey>? comparer = null) => _items = new Dictionary<TKey, TValue>(comparer);

    public virtual TValue this[TKey key]
    {
        get => _items[key];
        set => _items[key] = value;
    }

    public int Count => _items.Count;

    public ICollection<TKey> Keys => _items.Keys;

    public ICollection<TValue> Values => _items.Values;

    public void Add(TKey key, TValue value) => _items.Add(key, value);

    public void Add(KeyValuePair<TKey, TValue> item) => _items.Add(item.Key, item.Value);

    public bool Contains(TKey key) => _items.ContainsKey(key);

    public bool ContainsKey(TKey key) => _items.ContainsKey(key);

    public bool TryGetValue(TKey key, out TValue value) => _items.TryGetValue(key, out value!);

    public bool Remove(TKey key) => _items.Remove(key);

    public void Clear() => _items.Clear();

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.DataCollection&lt;T&gt;</c>.</summary>
public class DataCollection<T> : Collection<T>
{
    public DataCollection()
    {
    }

    public DataCollection(IList<T> list)
        : base(list)
    {
    }

    public void AddRange(IEnumerable<T> items)
    {
        foreach (var item in items)
            Add(item);
    }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.AttributeCollection</c> (attribute logical name → value).</summary>
public sealed class AttributeCollection : DataCollection<string, object?>
{
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.ParameterCollection</c> (InputParameters, OutputParameters, SharedVariables).</summary>
public sealed class ParameterCollection : DataCollection<string, object?>
{
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.EntityImageCollection</c> (image alias → entity).</summary>
public sealed class EntityImageCollection : DataCollection<string, Entity>
{
}
