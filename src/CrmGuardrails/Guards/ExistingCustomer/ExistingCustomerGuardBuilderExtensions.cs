namespace CrmGuardrails;

/// <summary>Adds the <c>existing-customer</c> rule to a pipeline.</summary>
public static class ExistingCustomerGuardBuilderExtensions
{
    /// <summary>Adds the <c>existing-customer</c> rule: block or flag a new lead that belongs to an existing account.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="System.ComponentModel.DataAnnotations.ValidationException">The options are invalid.</exception>
    public static GuardPipelineBuilder AddExistingCustomerGuard(this GuardPipelineBuilder builder, ExistingCustomerGuardOptions? options = null)
    {
        if (builder is null)
            throw new ArgumentNullException(nameof(builder));
        options = (options ?? new ExistingCustomerGuardOptions()).Freeze<ExistingCustomerGuardOptions>();
        return builder.AddGuard(context => new ExistingCustomerGuard(options, context.Matcher), options);
    }
}
