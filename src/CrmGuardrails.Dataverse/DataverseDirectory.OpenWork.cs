using CrmGuardrails.Dataverse.Internal;
using Schema = CrmGuardrails.Dataverse.DataverseSchema;

namespace CrmGuardrails.Dataverse;

public sealed partial class DataverseDirectory
{
    /// <summary>
    /// Reads one page of the organisation's open work — its open leads, then its open and scheduled activities with their
    /// parties — for an audit of the collisions already in the org. Read-only: only GET requests.
    /// </summary>
    /// <param name="page">Where to go on: <see cref="DataverseOpenWorkPage.Start"/> first, then the page this method returned.</param>
    /// <param name="pageSize">Rows per request (the <c>odata.maxpagesize</c> preference), 1 to 5000.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page's records and where the next page starts; <see cref="DataverseOpenWorkPage.IsDone"/> after the last.</returns>
    /// <exception cref="DataverseException">The organisation could not be read.</exception>
    public async Task<DataverseOpenWorkPage> ReadOpenWorkAsync(DataverseOpenWorkPage page, int pageSize, CancellationToken cancellationToken = default)
    {
        if (page is null)
            throw new ArgumentNullException(nameof(page));
        if (pageSize is < 1 or > 5000)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be between 1 and 5000.");
        if (page.IsDone)
            return page;

        List<CrmRecord> records;
        string? next;
        if (page.Table == Schema.Lead.Table)
        {
            var url = page.NextLink ?? $"{Schema.Lead.EntitySet}?$select={RecordMapper.LeadColumns}&$filter=statecode eq 0";
            var (leads, link) = await _api.QueryPageAsync(url, pageSize, r => _mapper.MapLead(r), cancellationToken).ConfigureAwait(false);
            (records, next) = (leads.ConvertAll(l => (CrmRecord)l), link);
        }
        else
        {
            // Open (0) and scheduled (3) activities, as the directory's open-activity question reads them.
            var url = page.NextLink ?? $"{Schema.Activity.PointerEntitySet}?$select={RecordMapper.ActivityColumns}&$expand={RecordMapper.PartiesExpand}&$filter={Uri.EscapeDataString("(statecode eq 0 or statecode eq 3)")}";
            var (activities, link) = await _api.QueryPageAsync(url, pageSize, r => _mapper.MapActivity(r), cancellationToken).ConfigureAwait(false);
            (records, next) = (activities.ConvertAll(a => (CrmRecord)a), link);
        }

        var table = next is not null ? page.Table : page.Table == Schema.Lead.Table ? Schema.Activity.PointerTable : string.Empty;
        return new DataverseOpenWorkPage { Table = table, NextLink = next, Records = records };
    }
}

/// <summary>A page of an organisation's open work read by <see cref="DataverseDirectory.ReadOpenWorkAsync"/>, and where the next one starts.</summary>
public sealed record DataverseOpenWorkPage
{
    /// <summary>Gets the position before the first page.</summary>
    public static DataverseOpenWorkPage Start { get; } = new() { Table = Schema.Lead.Table };

    /// <summary>Gets the table the next page is read from (<c>lead</c>, then <c>activitypointer</c>); empty when done.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>Gets the organisation's link to the next page of <see cref="Table"/>, or <see langword="null"/> for its first page.</summary>
    public string? NextLink { get; init; }

    /// <summary>Gets the records of the page just read.</summary>
    public IReadOnlyList<CrmRecord> Records { get; init; } = [];

    /// <summary>Gets a value indicating whether every page has been read.</summary>
    public bool IsDone => Table.Length == 0;
}
