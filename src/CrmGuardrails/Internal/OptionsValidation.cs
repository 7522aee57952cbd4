using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CrmGuardrails;

/// <summary>
/// The one way every CrmGuardrails options class is validated — property rules (DataAnnotations) and cross-field rules
/// (<see cref="IValidatableObject"/>) together, every error at once — when a pipeline, directory or endpoint is built,
/// and at start-up through <see cref="OptionsValidator{TOptions}"/>.
/// </summary>
public static class OptionsValidation
{
    /// <summary>Validates options and throws one exception listing every error.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ValidationException">The options are invalid; the message names the class and lists every error.</exception>
    public static void ThrowIfInvalid(object options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
            throw new ValidationException($"The '{options.GetType().Name}' are invalid.{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "- " + e))}");
    }

    /// <summary>Gets every error of the options, each a sentence naming its property.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The errors; empty when the options are valid.</returns>
    public static IReadOnlyList<string> Validate(object options)
    {
        if (options is null)
            throw new ArgumentNullException(nameof(options));
        var context = new ValidationContext(options);
        var results = new List<ValidationResult>();

        // The validator skips the cross-field rules once a property fails: run them anyway.
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true) && options is IValidatableObject validatable)
            results.AddRange(validatable.Validate(context).Where(r => r != ValidationResult.Success && !results.Any(e => e.ErrorMessage == r.ErrorMessage)));
        return results.Select(r => r.ErrorMessage ?? "invalid").ToList();
    }
}

/// <summary>Validates options at start-up (<c>ValidateOnStart</c>) by <see cref="OptionsValidation"/>.</summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public sealed class OptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var errors = OptionsValidation.Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
