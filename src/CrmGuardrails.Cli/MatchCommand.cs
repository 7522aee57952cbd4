using System.CommandLine;

namespace CrmGuardrails.Cli;

/// <summary><c>crmguard match</c>: lead-to-account decisions in bulk (format 4).</summary>
internal static class MatchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var accounts = new Option<FileInfo>("--accounts") { Description = "accounts.csv: id,name,website,phone,email,street,city,postal_code,country,owner", Required = true };
        var contacts = new Option<FileInfo?>("--contacts") { Description = "contacts.csv: id,account_id,first_name,last_name,email,phone,owner (optional)" };
        var leads = new Option<FileInfo>("--leads") { Description = "leads.csv: id,first_name,last_name,company,email,phone,website,street,city,postal_code,country,owner", Required = true };
        var outFile = new Option<FileInfo?>("--out", "-o") { Description = "Where to write decisions.csv (lead_id,verdict,account_id,score); standard output when omitted." };
        var command = new Command("match", "Match leads to existing accounts and write one decision per lead (the existing-customer rule alone, ownership ignored).\nExample: crmguard match --accounts accounts.csv --contacts contacts.csv --leads leads.csv --out decisions.csv")
        {
            accounts, contacts, leads, outFile,
        };
        command.SetAction((parse, cancellationToken) => MatchRunner.RunAsync(
            parse.GetValue(accounts)!, parse.GetValue(contacts), parse.GetValue(leads)!, parse.GetValue(outFile), output, error, cancellationToken));
        return command;
    }
}
