#nullable enable
namespace Microsoft.Xrm.Sdk;

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.Entity</c>: a late-bound row.</summary>
public class Entity
{
    public Entity()
    {
    }

    public Entity(string entityName) => LogicalName = entityName;

    public Entity(string entityName, Guid id)
    {
        LogicalName = entityName;
        Id = id;
    }

    public string LogicalName { get; set; } = string.Empty;

    public virtual Guid Id { get; set; }

    public AttributeCollection Attributes { get; set; } = new();

    /// <summary>Gets or sets a value; the getter throws <see cref="KeyNotFoundException"/> for a missing attribute, as the SDK does.</summary>
    public object? this[string attributeName]
    {
        get => Attributes[attributeName];
        set => Attributes[attributeName] = value;
    }

    public bool Contains(string attributeName) => Attributes.Contains(attributeName);

    /// <summary>Gets a typed value, or <c>default</c> when the attribute is missing or null (the SDK's behaviour).</summary>
    public T GetAttributeValue<T>(string attributeLogicalName) =>
        Attributes.TryGetValue(attributeLogicalName, out var value) && value is not null ? (T)value : default!;

    public EntityReference ToEntityReference() => new(LogicalName, Id);
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.EntityReference</c>: a lookup value.</summary>
public sealed class EntityReference
{
    public EntityReference()
    {
    }

    public EntityReference(string logicalName, Guid id)
    {
        LogicalName = logicalName;
        Id = id;
    }

    public string LogicalName { get; set; } = string.Empty;

    public Guid Id { get; set; }

    public string? Name { get; set; }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.EntityCollection</c>: the rows of a query, or a party list.</summary>
public sealed class EntityCollection
{
    public EntityCollection()
    {
    }

    public EntityCollection(IList<Entity> list) => Entities = new DataCollection<Entity>(list);

    public DataCollection<Entity> Entities { get; } = new();

    public string? EntityName { get; set; }

    public bool MoreRecords { get; set; }

    public string? PagingCookie { get; set; }

    public Entity this[int index]
    {
        get => Entities[index];
        set => Entities[index] = value;
    }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.OptionSetValue</c>: a choice column's value.</summary>
public sealed class OptionSetValue
{
    public OptionSetValue()
    {
    }

    public OptionSetValue(int value) => Value = value;

    public int Value { get; set; }

    public override bool Equals(object? obj) => obj is OptionSetValue other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.Money</c>: a currency column's value.</summary>
public sealed class Money
{
    public Money()
    {
    }

    public Money(decimal value) => Value = value;

    public decimal Value { get; set; }
}

/// <summary>Stand-in for <c>Microsoft.Xrm.Sdk.AliasedValue</c>: a column read through a link-entity alias.</summary>
public sealed class AliasedValue
{
    public AliasedValue(string entityLogicalName, string attributeLogicalName, object? value)
    {
        EntityLogicalName = entityLogicalName;
        AttributeLogicalName = attributeLogicalName;
        Value = value;
    }

    public string EntityLogicalName { get; }

    public string AttributeLogicalName { get; }

    public object? Value { get; }
}
