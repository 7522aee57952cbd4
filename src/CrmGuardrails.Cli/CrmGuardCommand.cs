using System.CommandLine;
using CrmGuardrails.Embedded;

namespace CrmGuardrails.Cli;

/// <summary>The <c>crmguard</c> command line: its commands, help and exit codes.</summary>
internal static class CrmGuardCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand(
            "crmguard runs CrmGuardrails outside the CRM: it replays a stream of saves on a snapshot of an org and prints " +
            "the verdict (allow, flag or block) each would get, and matches leads to existing accounts in bulk.\n" +
            "Formats: docs/formats.md. Policies: docs/policies.md. Exit codes: 0 ok, 1 unexpected failure, 2 bad input.")
        {
            ReplayCommand.Create(output, error),
            MatchCommand.Create(output, error),
            DataverseCommand.Create(output, error),
            SalesforceCommand.Create(output, error),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
                await error.WriteLineAsync($"crmguard: {problem.Message}").ConfigureAwait(false);
            await error.WriteLineAsync("Run 'crmguard --help' for usage.").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (InputFormatException ex)
        {
            await error.WriteLineAsync($"crmguard: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (BadInputException ex)
        {
            foreach (var problem in ex.Problems)
                await error.WriteLineAsync($"crmguard: {problem}").ConfigureAwait(false);
            return BadInput;
        }
        catch (System.ComponentModel.DataAnnotations.ValidationException ex)
        {
            await error.WriteLineAsync($"crmguard: the policy is invalid: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("crmguard: cancelled.").ConfigureAwait(false);
            return Failed;
        }
#pragma warning disable CA1031 // The command line's boundary: no stack trace reaches the user.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"crmguard: unexpected failure: {ex.Message}").ConfigureAwait(false);
            return Failed;
        }
    }
}
