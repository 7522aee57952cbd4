using CrmGuardrails.Hosting;

namespace CrmGuardrails.Dataverse.Webhooks;

/// <summary>
/// An execution context's row read by logical column names. A value of the wrong JSON type is a format error naming
/// the column (<c>lead.firstname</c>, <c>phonecall.to[0].partyid</c>: mapped names and indices, never input); a value of
/// the right type that does not hold what the column holds — a number no <see cref="int"/> holds, a date column's text
/// that is not a date — reads as absent.
/// </summary>
/// <param name="entity">The row.</param>
/// <param name="mapping">The mapping.</param>
/// <param name="path">How format errors name the row; <see langword="null"/> for the row's own table.</param>
internal readonly struct ContextRow(DataverseEntity entity, DataverseMapping mapping, string? path = null) : IDataverseRow
{
    public string Table => entity.LogicalName.ToLowerInvariant();

    public string Id => entity.Id;

    private string Path => path ?? ContextText.ForLog(Table);

    public bool Has(string column) => entity.Has(column);

    public string? Text(string column) => Get(column, "a string", static v => v is string s ? (true, DataverseSchema.TextOf(s)) : (false, null));

    public int? Number(string column) => Get<int?>(column, "a whole number or an OptionSetValue", static v => v switch
    {
        DataverseOptionSetValue option => (true, option.Value),
        long l => (true, l is >= int.MinValue and <= int.MaxValue ? (int)l : null),
        double => (true, null),
        _ => (false, null),
    });

    public bool? Flag(string column) => Get<bool?>(column, "a boolean", static v => v is bool b ? (true, b) : (false, null));

    public DateTimeOffset? Date(string column) => Get<DateTimeOffset?>(column, "a date", static v => v switch
    {
        DateTimeOffset date => (true, date),
        string text => (true, DataverseContextReader.TryParseDate(text, out var parsed) ? parsed : null),
        _ => (false, null),
    });

    public DataverseLookup? Lookup(string column) => Get(column, "an EntityReference", static v => v is DataverseReference r
        ? (true, r.Id.Length == 0 || (Guid.TryParse(r.Id, out var g) && g == Guid.Empty) ? null : new DataverseLookup(r.LogicalName.ToLowerInvariant(), r.Id, r.Name))
        : (false, (DataverseLookup?)null));

    public IReadOnlyList<DataverseParty>? Parties()
    {
        List<DataverseParty>? parties = null;
        foreach (var column in mapping.PartyColumns)
        {
            if (!entity.Has(column))
                continue;
            ThrowIfUnreadable(column);
            parties ??= [];
            if (entity[column] is not IReadOnlyList<DataverseEntity> list)
                continue;
            for (var n = 0; n < list.Count; n++)
            {
                var row = new ContextRow(list[n], mapping, $"{Path}.{column}[{n}]");
                if (row.Lookup(DataverseSchema.Activity.PartyId) is { } who)
                    parties.Add(new DataverseParty(who, DataverseSchema.Activity.MaskOf(column, row.Number(DataverseSchema.Activity.ParticipationType))));
            }
        }

        return parties;
    }

    private T? Get<T>(string column, string expected, Func<object, (bool Ok, T? Value)> convert)
    {
        ThrowIfUnreadable(column);
        if (!entity.Attributes.TryGetValue(column, out var value) || value is null)
            return default;
        var (ok, converted) = convert(value);
        return ok ? converted : throw new GuardEventFormatException($"{Path}.{column}", $"expected {expected}.");
    }

    /// <summary>A column whose typed value could not be read is a format error once a guard reads it.</summary>
    private void ThrowIfUnreadable(string column)
    {
        if (entity.Unreadable is { } unreadable && unreadable.TryGetValue(column, out var problem))
            throw new GuardEventFormatException(problem.Field, problem.Problem);
    }
}
