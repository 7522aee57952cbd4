using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails.Cli.Explain;

/// <summary>
/// Explains the existing-customer rule on one lead against an embedded org: the candidates the guard's own directory
/// question returns, each scored by the guard's own engine with its evidence per field; the verdict from the pipeline
/// itself; and the thresholds that would change it.
/// </summary>
internal sealed class LeadExplainer(InMemoryCrmDirectory directory, CrmGuardrailsOptions policy)
{
    /// <summary>The smallest step a threshold moves by in a suggested change (scores have four decimals).</summary>
    public const double Step = 0.0001;

    private const string Block = "ExistingCustomer.BlockAtScore";
    private const string Flag = "ExistingCustomer.FlagAtScore";

    private readonly GuardPipeline _pipeline = new GuardPipelineBuilder { Directory = directory }.AddDefaultGuards(policy).Build();

    public async Task<LeadExplanation> ExplainAsync(Lead lead, string ownerId, CancellationToken cancellationToken)
    {
        lead = lead with { OwnerId = ownerId };
        var matcher = (FellegiSunterMatcher)directory.Matcher;
        var engine = matcher.Engine;

        // The same question the guard asks, and the same decision among its answers.
        var keys = matcher.GetKeys(lead);
        var candidates = keys.IsEmpty
            ? new MatchCandidates([], [])
            : await directory.FindMatchCandidatesAsync(new MatchCandidateQuery { Keys = keys }, cancellationToken).ConfigureAwait(false);
        var match = candidates.Accounts.Count == 0 ? null : matcher.MatchAccount(lead, candidates.Accounts, candidates.Contacts, directory);
        var ranked = Rank(directory, engine, lead, candidates, match);

        var result = await _pipeline.EvaluateAsync(GuardRequest.ForCreate(lead, ownerId) with { CorrelationId = "explain:" + lead.Id }, directory, cancellationToken).ConfigureAwait(false);
        var finding = result.Findings.FirstOrDefault(f => f.RuleId == RuleIds.ExistingCustomer);
        var belongs = match is not null && await BelongsAsync(match.Account, ownerId, cancellationToken).ConfigureAwait(false);
        var options = policy.ExistingCustomer;
        var explanation = new LeadExplanation
        {
            Lead = lead,
            OwnerId = ownerId,
            RuleEnabled = options.Enabled,
            Verdict = finding?.Verdict ?? Verdict.Allow,
            Message = finding?.Message ?? string.Empty,
            Match = match,
            OwnerBelongsToAccount = belongs,
            BlockAtScore = options.BlockAtScore,
            FlagAtScore = options.FlagAtScore,
            Candidates = ranked,
        };
        return WithChanges(explanation);
    }

    private async ValueTask<bool> BelongsAsync(Account account, string ownerId, CancellationToken cancellationToken) =>
        string.Equals(account.OwnerId, ownerId, StringComparison.Ordinal) ||
        (await directory.GetAccountTeamAsync(account.Id, cancellationToken).ConfigureAwait(false)).Contains(ownerId, StringComparer.Ordinal);

    private static List<CandidateAccount> Rank(InMemoryCrmDirectory directory, MatchEngine engine, Lead lead, MatchCandidates candidates, AccountMatch? match)
    {
        IMatchFeatureSource source = directory;
        var accounts = new List<AccountFeatures>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in candidates.Accounts)
        {
            if (seen.Add(account.Id))
                accounts.Add(source.Find(account) ?? engine.Features(account));
        }

        var byAccount = new List<ContactFeatures>?[accounts.Count];
        for (var i = 0; i < accounts.Count; i++)
        {
            foreach (var contact in candidates.Contacts.Where(c => c.AccountId == accounts[i].Account.Id))
                (byAccount[i] ??= []).Add(engine.Features(contact, accounts[i].Account.Country));
        }

        var features = engine.Features(lead);
        var share = ShareCounts.Of(features, accounts, byAccount);
        return accounts
            .Select((a, i) => (a, score: engine.Score(features, a, byAccount[i] ?? [], share, explain: true)))
            .Select(x => new CandidateAccount(x.a.Account, Math.Round(x.score.Weight, 2), WithDecisionNotes(x.score.Evidence ?? [], x.a.Account.Id == match?.Account.Id ? match : null), x.a.Account.Id == match?.Account.Id))
            .OrderByDescending(c => c.Chosen)
            .ThenByDescending(c => c.Weight)
            .ThenBy(c => c.Account.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The chosen account's evidence with what the decision added to it: why a score was capped below a block (a
    /// near-spelling of the name, nothing that identifies the company), and which organisation a lead of a site belongs to.
    /// </summary>
    private static IReadOnlyList<MatchEvidence> WithDecisionNotes(IReadOnlyList<MatchEvidence> evidence, AccountMatch? chosen) =>
        chosen is null ? evidence : [.. evidence, .. chosen.Evidence.Where(e => e.Field is "cap" or "site")];

    /// <summary>
    /// Which threshold would change the verdict. The rule blocks at BlockAtScore when the match is one account, flags at
    /// FlagAtScore (an organisation of several accounts is only ever flagged), and never objects to the account's owner or team.
    /// </summary>
    private static LeadExplanation WithChanges(LeadExplanation e)
    {
        if (!e.RuleEnabled)
            return e with { Unchangeable = "the existing-customer rule is switched off in the policy (ExistingCustomer.Enabled)." };
        if (e.Match is not { } match)
            return e with { Unchangeable = "no candidate account agrees with the lead on any field, so no threshold makes it a collision." };
        if (e.OwnerBelongsToAccount)
            return e with { Unchangeable = "the lead's owner owns the account or is on its team, and is never in collision with it, whatever the thresholds." };

        var s = match.Score;
        var single = match.Organisation is null;
        var above = Math.Round(s + Step, 4);
        var changes = new List<ThresholdChange>();
        switch (e.Verdict)
        {
            case Verdict.Block:
                if (above <= 1)
                {
                    changes.Add(new([Block], ">", above, Verdict.Flag));
                    changes.Add(new([Flag, Block], ">", above, Verdict.Allow));
                }

                break;
            case Verdict.Flag:
                if (single)
                    changes.Add(new([Block], "<=", s, Verdict.Block));
                if (above <= 1)
                    changes.Add(new([Flag, Block], ">", above, Verdict.Allow));
                break;
            default:
                changes.Add(new([Flag], "<=", s, Verdict.Flag));
                if (single)
                    changes.Add(new([Flag, Block], "<=", s, Verdict.Block));
                break;
        }

        return e with
        {
            Changes = changes,
            Unchangeable = changes.Count == 0 ? "the score is 1, above which no threshold can be set." : null,
        };
    }
}
