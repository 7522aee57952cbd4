using System.CommandLine;
using System.CommandLine.Parsing;

namespace CrmGuardrails.Cli;

/// <summary>Options that name a file, parsed so that a bad name is reported in words (exit 2), not as a type the parser could not make.</summary>
internal static class FileOption
{
    public static Option<FileInfo> Required(string name, string alias, string description) =>
        new(name, Aliases(alias)) { Description = description, Required = true, CustomParser = Parse };

    public static Option<FileInfo?> Optional(string name, string alias, string description) =>
        new(name, Aliases(alias)) { Description = description, CustomParser = Parse };

    private static string[] Aliases(string alias) => alias.Length == 0 ? [] : [alias];

    private static FileInfo? Parse(ArgumentResult result)
    {
        var option = (result.Parent as OptionResult)?.Option.Name ?? "the option";
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (text.Trim().Length == 0)
        {
            result.AddError($"{option}: no file name was given.");
            return null;
        }

        try
        {
            return new FileInfo(text);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            result.AddError($"{option}: '{text}' is not a valid file name.");
            return null;
        }
    }
}
