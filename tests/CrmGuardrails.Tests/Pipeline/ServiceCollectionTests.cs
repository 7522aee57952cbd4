using CrmGuardrails.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmGuardrails.Tests.Pipeline;

public class ServiceCollectionTests
{
    [Fact]
    public async Task AddCrmGuardrails_WithDirectory_BuildsAWorkingPipeline()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ICrmDirectory>(new Org().Directory);
        services.AddCrmGuardrails();
        services.AddCrmGuardrails(); // repeated calls are harmless
        using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<GuardPipeline>();
        var result = await pipeline.EvaluateAsync(GuardRequest.ForCreate(new Lead { Id = "l", Company = "Contoso Pharmaceuticals", Email = "x@contoso-pharma.co.uk" }, "u2"));

        Assert.Same(pipeline, provider.GetRequiredService<GuardPipeline>());
        Assert.Equal(Verdict.Block, result.Verdict);
        Assert.Equal(5, pipeline.RuleIds.Count);
    }

    [Fact]
    public void AddCrmGuardrails_BindsConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrmGuardrails:TimeBudget"] = "00:00:01.500",
            ["CrmGuardrails:OnLookupFailure"] = "Block",
            ["CrmGuardrails:Reschedule:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddCrmGuardrails().Configure(configuration.GetSection(CrmGuardrailsOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var pipeline = provider.GetRequiredService<GuardPipeline>();

        Assert.Equal(TimeSpan.FromMilliseconds(1500), pipeline.Options.TimeBudget);
        Assert.Equal(LookupFailureVerdict.Block, pipeline.Options.OnLookupFailure);
        Assert.DoesNotContain(RuleIds.Reschedule, pipeline.RuleIds);
    }

    [Fact]
    public void AddCrmGuardrails_InvalidPolicy_FailsWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddCrmGuardrails(o => o.ChannelFanout.Window = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GuardPipeline>());
    }
}
