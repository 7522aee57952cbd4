using CrmGuardrails.Embedded;
using Microsoft.Extensions.Configuration;

namespace CrmGuardrails.Cli;

/// <summary>Reads a policy (JSON, the same shape as the <c>CrmGuardrails</c> configuration section) for the command line.</summary>
internal static class PolicyFile
{
    public static CrmGuardrailsOptions Load(FileInfo? file)
    {
        var options = new CrmGuardrailsOptions();
        if (file is null)
            return options;
        if (!file.Exists)
            throw new InputFormatException(file.FullName, 0, string.Empty, "does not exist.");
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new InputFormatException(file.FullName, 0, string.Empty, $"is not a valid JSON policy ({ex.Message}).");
        }

        var section = configuration.GetSection(CrmGuardrailsOptions.SectionName);
        try
        {
            (section.Exists() ? section : (IConfiguration)configuration).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new InputFormatException(file.FullName, 0, string.Empty, ex.Message);
        }

        return options;
    }
}
