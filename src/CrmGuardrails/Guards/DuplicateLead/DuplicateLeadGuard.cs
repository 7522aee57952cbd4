using CrmGuardrails.Matching;
using CrmGuardrails.Matching.Scoring;

namespace CrmGuardrails;

/// <summary>Blocks a lead for a person another user already has as an open lead; flags one for the same company.</summary>
internal sealed class DuplicateLeadGuard(DuplicateLeadGuardOptions options, IRecordMatcher matcher) : ICrmGuard
{
    public string RuleId => RuleIds.DuplicateLead;

    public bool AppliesTo(GuardContext context) => context.Request.Operation == GuardOperation.Create && context.Record is Lead;

    public async ValueTask<IReadOnlyList<GuardFinding>> EvaluateAsync(GuardContext context)
    {
        var lead = (Lead)context.Record;
        var keys = context.Lookups.KeysOf(matcher, lead);
        if (keys.IsEmpty)
            return [];
        var others = await context.Lookups.Directory
            .FindOpenLeadsAsync(new LeadQuery { Emails = keys.Emails, CompanyKeys = keys }, context.CancellationToken)
            .ConfigureAwait(false);

        // The shipped matcher normalises the new lead once, and takes the others' features from a directory that keeps them.
        var comparer = (matcher as FellegiSunterMatcher)?.ForLead(lead, context.Lookups.Directory as IMatchFeatureSource);
        var lent = others as FeaturedRecords<Lead, LeadFeatures>;
        Lead? samePerson = null;
        Lead? sameCompany = null;
        var sameEmailOnly = false;
        for (var i = 0; i < others.Count; i++)
        {
            var other = others[i];
            if (other.Status != LeadStatus.Open || string.Equals(other.Id, lead.Id, StringComparison.Ordinal) ||
                string.IsNullOrEmpty(other.OwnerId) || string.Equals(other.OwnerId, context.ActingOwnerId, StringComparison.Ordinal))
                continue;
            // Once a lead of the same company is found, only the same person can still change the answer.
            var personOnly = sameCompany is not null || !options.FlagSameCompany;
            var comparison = comparer?.Compare(other, lent is not null && ReferenceEquals(lent.Engine, comparer.Engine) ? lent.Features(i) : null, personOnly) ?? matcher.CompareLeads(lead, other);
            // One email is one person, unless the names say two at a family's or a team's mailbox ("info@").
            if (comparison.SamePerson || (comparison.SameEmail && !comparison.TwoPeople))
            {
                samePerson = other;
                sameEmailOnly = !comparison.SamePerson;
                break;
            }

            if (comparison.SameCompany && options.FlagSameCompany)
                sameCompany ??= other;
        }

        var collision = samePerson ?? sameCompany;
        if (collision is null)
            return [];

        var ownerName = await context.Lookups.GetOwnerNameAsync(collision, context.CancellationToken).ConfigureAwait(false);
        var ownerFirst = PersonName.FirstWord(ownerName);
        var block = samePerson is not null;
        var company = string.IsNullOrWhiteSpace(collision.Company) ? "This company" : collision.Company!.Trim();
        // Another name at the same email (a shared mailbox, "info@"): say that the email is what they share.
        var message = !block
            ? $"{company} already has an open lead owned by {ownerName}. Coordinate with {ownerFirst} before reaching out."
            : sameEmailOnly
                ? $"{lead.Email?.Trim()} is already the email of {collision.DisplayName}, an open lead owned by {ownerName}. Talk to {ownerFirst} instead of adding a second lead."
                : $"{collision.DisplayName} is already an open lead owned by {ownerName}. Talk to {ownerFirst} instead of adding a second lead.";
        return
        [
            new GuardFinding
            {
                RuleId = RuleId,
                Code = GuardCodes.DuplicateLead,
                Verdict = block ? Verdict.Block : Verdict.Flag,
                Message = message,
                Collision = new Collision
                {
                    Record = collision.Ref,
                    OwnerId = collision.OwnerId,
                    OwnerName = ownerName,
                    Name = collision.DisplayName,
                },
                NotifyUserIds = options.NotifyOtherOwner ? [collision.OwnerId!] : [],
                MessageArguments = GuardText.Arguments(("LeadName", collision.DisplayName), ("Company", company), ("OwnerName", ownerName)),
            },
        ];
    }
}
