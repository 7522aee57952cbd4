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

    public static IReadOnlyList<string> Validate(object options) => ValidateAll(options).Select(r => "- " + r.ErrorMessage).ToList();

    /// <summary>Property rules and cross-field rules alike: the validator skips the latter when the former fail, we do not.</summary>
    public static List<ValidationResult> ValidateAll(object options)
    {
        var context = new ValidationContext(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true) && options is IValidatableObject validatable)
            results.AddRange(validatable.Validate(context).Where(r => r != ValidationResult.Success));
        return results;
    }
}
