using CrmGuardrails.Embedded;
using CrmGuardrails.Matching;
using CrmGuardrails.Testing;

namespace CrmGuardrails.Tests.Embedded;

/// <summary>The directory contract against the embedded directory, as the demo and the command line build it (its own matcher).</summary>
public sealed class InMemoryDirectoryContractTests : CrmDirectoryContract
{
    private InMemoryCrmDirectory? _directory;

    protected override int? RequestCount => _directory?.RequestCount;

    protected override Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org)
    {
        _directory = new InMemoryCrmDirectory(org.ToSnapshot());
        return Task.FromResult<ICrmDirectory>(_directory);
    }

    protected override IRecordMatcher GetMatcher(ICrmDirectory directory) => ((InMemoryCrmDirectory)directory).Matcher;
}

/// <summary>The directory contract against the embedded directory indexed with the stored keys' matcher (what remote directories use).</summary>
public sealed class InMemoryDirectoryWithStoredKeysContractTests : CrmDirectoryContract
{
    protected override Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org) =>
        Task.FromResult<ICrmDirectory>(new InMemoryCrmDirectory(org.ToSnapshot(), StoredMatchKeys.Matcher));
}
