using Microsoft.Extensions.Options;

namespace CrmGuardrails.AspNetCore;

/// <summary>Marks the webhook services as registered.</summary>
internal sealed class DataverseWebhookRegistration;

/// <summary>Validates <see cref="DataverseWebhookOptions"/>, reporting every error at once.</summary>
internal sealed class DataverseWebhookOptionsValidator : IValidateOptions<DataverseWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, DataverseWebhookOptions options)
    {
        var errors = Validation.ValidateAll(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ErrorMessage ?? "invalid"));
    }
}
