using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrmGuardrails.Cli.Audit;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli.Explain;

/// <summary><c>crmguard explain</c>: why the existing-customer rule decides what it does about one lead, and what threshold would change it.</summary>
internal static class ExplainCommand
{
    /// <summary>The owner a lead given on the command line is checked for when it names none: a user who owns nothing.</summary>
    public const string NobodyId = "crmguard-explain";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var snapshot = FileOption.Required(
            "--snapshot", "-s", $"The org: a snapshot JSON file (format 1), UTF-8 or UTF-16; at most {InputFile.Size(CrmSnapshot.MaxFileBytes)}.");
        var leadId = new Option<string?>("--lead", "-l") { Description = "The id of a lead in the snapshot." };
        var leadJson = new Option<string?>("--lead-json") { Description = "A lead given as JSON, with the fields of a lead record of format 1 (firstName, lastName, company, email, phone, website, street, city, postalCode, country, ownerId)." };
        var owner = new Option<string?>("--owner") { Description = "Check the lead as if this user saved it (default: the lead's owner; for --lead-json without ownerId, a user who owns nothing)." };
        var policy = FileOption.Optional(
            "--policy", "-p", $"A JSON policy overriding the defaults (the 'CrmGuardrails' section; see docs/configuration.md); at most {InputFile.Size(PolicyFile.MaxFileBytes)}.");
        var json = new Option<bool>("--json") { Description = "Write the explanation as one JSON object instead of text." };
        var top = new Option<int>("--top") { Description = "How many candidate accounts to show (1 to 50).", DefaultValueFactory = _ => 10 };
        var command = new Command(
            "explain",
            "Explain the existing-customer rule on one lead: the candidate accounts ranked, the evidence and weight of each field, the verdict and which threshold would change it.\n" +
            "Examples: crmguard explain -s org.json --lead L000123\n" +
            "          crmguard explain -s org.json --lead-json '{\"company\": \"Contoso\", \"email\": \"dan@contoso.com\"}' --owner u2")
        {
            snapshot, leadId, leadJson, owner, policy, json, top,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var id = parse.GetValue(leadId);
            var given = parse.GetValue(leadJson);
            if ((id is null) == (given is null))
                problems.Add("give exactly one of --lead ID (a lead of the snapshot) and --lead-json '{...}'.");
            if (id is { } text && text.Trim().Length == 0)
                problems.Add("--lead: no id was given.");
            var count = parse.GetValue(top);
            if (count is < 1 or > 50)
                problems.Add($"--top: {count} is not between 1 and 50.");
            var ownerId = parse.GetValue(owner);
            if (ownerId is { } o && o.Trim().Length == 0)
                problems.Add("--owner: no user id was given.");
            var fromJson = given is null ? null : ReadLead(given, problems);
            if (problems.Count > 0)
                throw new BadInputException(problems);

            var options = PolicyFile.Load(parse.GetValue(policy));
            var org = CrmSnapshot.Load(parse.GetValue(snapshot)!.ToString());
            var directory = new InMemoryCrmDirectory(org);
            Lead lead;
            if (fromJson is not null)
            {
                lead = fromJson;
            }
            else
            {
                lead = directory.Find(id!.Trim()) as Lead ?? throw new BadInputException($"--lead: the snapshot has no lead with the id '{id.Trim()}'.");
            }

            var actingOwner = ownerId?.Trim() ?? (string.IsNullOrEmpty(lead.OwnerId) ? NobodyId : lead.OwnerId!);
            if (ownerId is not null && directory.Find(actingOwner) is not User)
                throw new BadInputException($"--owner: the snapshot has no user with the id '{actingOwner}'.");
            var explanation = await new LeadExplainer(directory, options).ExplainAsync(lead, actingOwner, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(parse.GetValue(json) ? ToJson(explanation, count) + "\n" : ToText(explanation, count, directory)).ConfigureAwait(false);
            return CrmGuardCommand.Ok;
        });
        return command;
    }

    private static Lead? ReadLead(string text, List<string> problems)
    {
        try
        {
            var fields = new JsonFields(JsonTree.Parse(Encoding.UTF8.GetBytes(text), "--lead-json"), "--lead-json", string.Empty);
            var lead = RecordJson.ApplyLead(new Lead { Id = fields.Has("id") ? fields.RequiredString("id") : "lead-explain", Status = LeadStatus.Open }, fields);
            fields.RejectUnknown();
            return lead;
        }
        catch (InputFormatException ex)
        {
            problems.Add(ex.Message);
            return null;
        }
    }

    public static string ToText(LeadExplanation e, int top, InMemoryCrmDirectory directory)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var lead = e.Lead;
        text.Append(inv, $"Lead {lead.Id}: {lead.DisplayName}").Append(Join(" | ", lead.Company, lead.Email, lead.Phone, lead.Website, lead.City, lead.Country)).AppendLine();
        text.Append(inv, $"Checked as saved by {OwnerName(directory, e.OwnerId)}.").AppendLine();
        text.Append(inv, $"Verdict of existing-customer: {ReplayJson.VerdictName(e.Verdict)}").Append(e.Match is { } m ? string.Create(inv, $" (score {m.Score:0.0000} for {m.Account.Id} {m.Account.DisplayName}, owned by {OwnerName(directory, m.Account.OwnerId)})") : string.Empty).AppendLine();
        if (e.Message.Length > 0)
            text.Append("  \"").Append(e.Message).AppendLine("\"");
        text.Append(inv, $"Thresholds: block at a score of {e.BlockAtScore:0.####} or more (ExistingCustomer.BlockAtScore), flag at {e.FlagAtScore:0.####} or more (ExistingCustomer.FlagAtScore).").AppendLine();
        foreach (var change in e.Changes)
            text.Append(inv, $"  → {ReplayJson.VerdictName(change.Verdict)} with {string.Join(" and ", change.Options)} {(change.Comparison == ">" ? "above" : "at or below")} {(change.Comparison == ">" ? e.Match!.Score : change.Value):0.0000} (e.g. {change.Value:0.0000})").AppendLine();
        if (e.Unchangeable is { } why)
            text.Append("  No threshold changes it: ").AppendLine(why);
        text.AppendLine(e.Candidates.Count == 0 ? "No candidate account." : $"Candidate accounts ({e.Candidates.Count}), the chosen one first, then by weight (bits):");
        var rank = 0;
        foreach (var candidate in e.Candidates.Take(top))
        {
            var a = candidate.Account;
            text.Append(inv, $"{++rank,3}. {a.Id} {a.DisplayName}{(candidate.Chosen ? "  [chosen]" : string.Empty)}  weight {candidate.Weight:+0.00;-0.00}  owner {OwnerName(directory, a.OwnerId)}").AppendLine();
            foreach (var evidence in candidate.Evidence)
                text.Append(inv, $"       {evidence.Field,-16} {evidence.Weight,7:+0.00;-0.00;0}  {evidence.Detail}").AppendLine();
        }

        if (e.Candidates.Count > top)
            text.Append(inv, $"  … {e.Candidates.Count - top} more (--top).").AppendLine();
        return text.ToString();
    }

    private static string OwnerName(InMemoryCrmDirectory directory, string? userId) =>
        userId is null ? "nobody" : directory.Find(userId) is User user ? $"{user.DisplayName} ({userId})" : userId;

    private static string Join(string separator, params string?[] values)
    {
        var present = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return present.Count == 0 ? string.Empty : " — " + string.Join(separator, present);
    }

    public static string ToJson(LeadExplanation e, int top)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("leadId", e.Lead.Id);
            json.WriteString("ownerId", e.OwnerId);
            json.WriteString("rule", RuleIds.ExistingCustomer);
            json.WriteBoolean("ruleEnabled", e.RuleEnabled);
            json.WriteString("verdict", ReplayJson.VerdictName(e.Verdict));
            json.WriteString("message", e.Message);
            if (e.Match is { } match)
            {
                json.WriteString("accountId", match.Account.Id);
                json.WriteNumber("score", match.Score);
                if (match.Organisation is { } organisation)
                    json.WriteString("organisation", organisation.Name);
            }

            json.WriteBoolean("ownerBelongsToAccount", e.OwnerBelongsToAccount);
            json.WriteNumber("blockAtScore", e.BlockAtScore);
            json.WriteNumber("flagAtScore", e.FlagAtScore);
            json.WriteStartArray("changes");
            foreach (var change in e.Changes)
            {
                json.WriteStartObject();
                json.WriteStartArray("options");
                foreach (var option in change.Options)
                    json.WriteStringValue(option);
                json.WriteEndArray();
                json.WriteString("comparison", change.Comparison);
                json.WriteNumber("value", change.Value);
                json.WriteString("verdict", ReplayJson.VerdictName(change.Verdict));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (e.Unchangeable is { } why)
                json.WriteString("unchangeable", why);
            json.WriteStartArray("candidates");
            foreach (var candidate in e.Candidates.Take(top))
            {
                json.WriteStartObject();
                json.WriteString("accountId", candidate.Account.Id);
                json.WriteString("name", candidate.Account.DisplayName);
                if (candidate.Account.OwnerId is { } ownerId)
                    json.WriteString("ownerId", ownerId);
                json.WriteBoolean("chosen", candidate.Chosen);
                json.WriteNumber("weight", candidate.Weight);
                AuditJson.WriteEvidence(json, candidate.Evidence);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
