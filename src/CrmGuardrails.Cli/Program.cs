using CrmGuardrails.Cli;

return await CrmGuardCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
