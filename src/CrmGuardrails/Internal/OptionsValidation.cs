using System.ComponentModel.DataAnnotations;

namespace CrmGuardrails;

internal static class OptionsValidation
{
    /// <summary>Validates options (DataAnnotations and <see cref="IValidatableObject"/>) and throws one exception listing every error.</summary>
    public static void ThrowIfInvalid(object options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
            throw new ValidationException($"The '{options.GetType().Name}' are invalid.{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    public static IReadOnlyList<string> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => "- " + r.ErrorMessage).ToList();
    }
}
