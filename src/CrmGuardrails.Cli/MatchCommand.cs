using System.CommandLine;
using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;

namespace CrmGuardrails.Cli;

/// <summary><c>crmguard match</c>: lead-to-account decisions in bulk (format 4).</summary>
internal static class MatchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var limit = $"; at most {InputFile.Size(MatchingDataset.MaxFileBytes)}";
        var accounts = FileOption.Required("--accounts", string.Empty, "accounts.csv: id,name,website,phone,email,street,city,postal_code,country,owner" + limit);
        var contacts = FileOption.Optional("--contacts", string.Empty, "contacts.csv: id,account_id,first_name,last_name,email,phone,owner (optional; every account_id must be in accounts.csv)" + limit);
        var leads = FileOption.Required("--leads", string.Empty, "leads.csv: id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner" + limit);
        var outFile = FileOption.Optional(
            "--out", "-o",
            "Where to write decisions.csv (lead_id,verdict,account_id,score), whole or not at all; standard output when omitted. " +
            "Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are written quoted after a single quote.");
        var command = new Command("match", "Match leads to existing accounts and write one decision per lead (the existing-customer rule alone, ownership ignored).\nExample: crmguard match --accounts accounts.csv --contacts contacts.csv --leads leads.csv --out decisions.csv")
        {
            accounts, contacts, leads, outFile,
        };
        command.SetAction((parse, cancellationToken) => MatchRunner.RunAsync(
            parse.GetValue(accounts)!, parse.GetValue(contacts), parse.GetValue(leads)!, parse.GetValue(outFile), output, error, cancellationToken));
        return command;
    }
}
