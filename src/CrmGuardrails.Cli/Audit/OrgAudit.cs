using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrmGuardrails.Cli.Audit;

/// <summary>
/// Finds the collisions that already sit in an org by asking the guards themselves: every open lead and open activity
/// is checked by the pipeline as if its owner saved it now (an activity: when it was created), against the org as it is.
/// So the audit decides exactly as the rules do — their matching, options and exemptions — and there is no second truth.
/// </summary>
/// <remarks>
/// The checks are made on behalf of a viewer who owns nothing and manages no one (<see cref="ViewerId"/>): the owner of
/// the open record is the acting owner, so who collides with whom is the guards' answer, while the redaction rule
/// withholds every other user's subject and body from what is written. Each collision between two open records of the
/// same rule is reported once (the stronger verdict; the record with the smaller id first when equal).
/// </remarks>
internal sealed class OrgAudit(GuardPipeline pipeline, ICrmDirectory directory, DateTimeOffset auditAt)
{
    /// <summary>The user the checks are made for: not a user of the org, so it owns and manages nothing.</summary>
    public const string ViewerId = "crmguard-audit";

    private readonly ConcurrentDictionary<string, string?> _userNames = new(StringComparer.Ordinal);

    /// <summary>Gets how many open records were checked.</summary>
    public int Checked => _checked;

    /// <summary>Gets how many open records were skipped because they have no owner (no one to be in collision).</summary>
    public int WithoutOwner => _withoutOwner;

    private int _checked;
    private int _withoutOwner;

    /// <summary>Tells whether a record is one the audit checks: an open lead or an open activity.</summary>
    public static bool IsOpenWork(CrmRecord record) =>
        record is Lead { Status: LeadStatus.Open } or Activity { Status: ActivityStatus.Open };

    /// <summary>Checks every record, <paramref name="parallelism"/> at a time, and returns the collisions, deduplicated and ordered.</summary>
    public async Task<List<AuditCollision>> RunAsync(IAsyncEnumerable<IReadOnlyList<CrmRecord>> pages, int parallelism, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var found = new ConcurrentBag<AuditCollision>();
        var done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await Parallel.ForEachAsync(page, options, async (record, ct) =>
            {
                foreach (var collision in await CheckAsync(record, ct).ConfigureAwait(false))
                    found.Add(collision);
                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);
        }

        return Deduplicate(found);
    }

    /// <summary>Checks one open record as its owner's save.</summary>
    public async Task<IReadOnlyList<AuditCollision>> CheckAsync(CrmRecord record, CancellationToken cancellationToken)
    {
        if (!IsOpenWork(record))
            return [];
        if (string.IsNullOrEmpty(record.OwnerId))
        {
            Interlocked.Increment(ref _withoutOwner);
            return [];
        }

        var at = record is Activity activity ? activity.CreatedOn ?? activity.ScheduledStart ?? auditAt : auditAt;
        var request = GuardRequest.ForCreate(record, ViewerId) with { OccurredAt = at, CorrelationId = "audit:" + record.Id };
        var clock = Stopwatch.StartNew();
        var result = await pipeline.EvaluateAsync(request, directory, cancellationToken).ConfigureAwait(false);
        var latency = clock.Elapsed.TotalMilliseconds;
        Interlocked.Increment(ref _checked);
        if (result.Findings.Count == 0)
            return [];

        var subject = new AuditParty
        {
            Type = record.Ref.KindName,
            Id = record.Id,
            OwnerId = record.OwnerId,
            OwnerName = await UserNameAsync(record.OwnerId, cancellationToken).ConfigureAwait(false),
            Name = ActivityText.VisibleName(record),
            Date = (record as Activity)?.ScheduledStart,
        };
        var collisions = new List<AuditCollision>(result.Findings.Count);
        foreach (var finding in result.Findings)
        {
            var other = finding.Collision is { } c
                ? new AuditParty { Type = c.Record.KindName, Id = c.Record.Id, OwnerId = c.OwnerId, OwnerName = c.OwnerName, Name = c.Name, Date = c.Date }
                : null;
            collisions.Add(new AuditCollision
            {
                Rule = finding.RuleId,
                Code = finding.Code,
                Verdict = finding.Verdict,
                NotChecked = finding.NotChecked,
                At = at,
                Record = subject,
                Other = other,
                Customer = await CustomerAsync(record, finding, cancellationToken).ConfigureAwait(false),
                Score = finding.Collision?.Score,
                Evidence = finding.Collision?.Evidence ?? [],
                Redacted = finding.Collision?.Redacted ?? false,
                LatencyMs = latency,
                Message = finding.Message,
            });
        }

        return collisions;
    }

    /// <summary>The customer the collision is about: the matched account, else the account (or person) the activity is with.</summary>
    private async ValueTask<AuditParty?> CustomerAsync(CrmRecord record, GuardFinding finding, CancellationToken cancellationToken)
    {
        if (finding.Collision is { Record.Kind: RecordKind.Account } matched)
            return new AuditParty { Type = "account", Id = matched.Record.Id, OwnerId = matched.OwnerId, OwnerName = matched.OwnerName, Name = matched.Name };
        if (record is not Activity activity)
            return null;
        foreach (var participant in activity.Participants)
        {
            var party = await directory.GetAsync(participant, cancellationToken).ConfigureAwait(false);
            if (party is Contact { AccountId: { Length: > 0 } accountId } && await directory.GetAsync(new RecordRef(RecordKind.Account, accountId), cancellationToken).ConfigureAwait(false) is Account account)
                party = account;
            if (party is Account or Contact or Lead)
                return new AuditParty { Type = party.Ref.KindName, Id = party.Id, OwnerId = party.OwnerId, OwnerName = await UserNameAsync(party.OwnerId, cancellationToken).ConfigureAwait(false), Name = party.DisplayName };
        }

        return null;
    }

    private async ValueTask<string?> UserNameAsync(string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId))
            return null;
        if (_userNames.TryGetValue(userId!, out var name))
            return name;
        name = (await directory.GetAsync(new RecordRef(RecordKind.User, userId!), cancellationToken).ConfigureAwait(false))?.DisplayName;
        _userNames[userId!] = name;
        return name;
    }

    /// <summary>
    /// Two open records that collide with each other are one collision, found from both sides: keep the stronger verdict,
    /// then the side whose record id sorts first. Ordered by rule, then record, then other record.
    /// </summary>
    public static List<AuditCollision> Deduplicate(IEnumerable<AuditCollision> collisions)
    {
        var kept = new Dictionary<(string Rule, string A, string B, bool NotChecked), AuditCollision>();
        foreach (var collision in collisions)
        {
            var otherId = collision.Other is { } other ? other.Type + ":" + other.Id : string.Empty;
            var recordId = collision.Record.Type + ":" + collision.Record.Id;
            var symmetric = collision.Other is { Type: "lead" or "activity" } && collision.Rule != RuleIds.ChannelFanout;
            var key = symmetric && string.CompareOrdinal(otherId, recordId) < 0
                ? (collision.Rule, otherId, recordId, collision.NotChecked)
                : (collision.Rule, recordId, otherId, collision.NotChecked);
            if (!kept.TryGetValue(key, out var before) || Better(collision, before))
                kept[key] = collision;
        }

        return kept.Values
            .OrderBy(c => c.Rule, StringComparer.Ordinal)
            .ThenBy(c => c.Record.Id, StringComparer.Ordinal)
            .ThenBy(c => c.Other?.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static bool Better(AuditCollision candidate, AuditCollision kept) =>
        candidate.Verdict != kept.Verdict
            ? candidate.Verdict > kept.Verdict
            : string.CompareOrdinal(candidate.Record.Id, kept.Record.Id) < 0;
}
