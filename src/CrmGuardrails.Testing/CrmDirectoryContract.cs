using CrmGuardrails.Matching;
using Xunit;

namespace CrmGuardrails.Testing;

/// <summary>
/// The contract every <see cref="ICrmDirectory"/> must keep, as xUnit facts. Derive one class, build your directory
/// from the <see cref="ContractOrg"/> it is given, and the facts run against it.
/// </summary>
/// <remarks>
/// <para>
/// Each fact gets a new <see cref="ContractOrg"/> (new ids) and a new directory seeded with it
/// (<see cref="CreateDirectoryAsync"/>). The facts are written from the port's documented contract
/// (<see cref="ICrmDirectory"/> and the query records), never from one implementation: lookups by id and by kind,
/// candidates for a lead by name, domain, email and phone however they were typed, limits, open leads and activities,
/// account teams, cancellation and thread safety. Where a host may hold more than the contract org (a live org), the
/// facts only ask that the org's records be found or left out, never that nothing else is found.
/// </para>
/// <para>
/// The lead keys the facts ask with come from <see cref="GetMatcher"/>: the matcher whose keys the directory stores or
/// indexes (<see cref="StoredMatchKeys.Matcher"/> by default, what remote directories use).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// public sealed class MyDirectoryContractTests : CrmDirectoryContract
/// {
///     protected override async Task&lt;ICrmDirectory&gt; CreateDirectoryAsync(ContractOrg org)
///     {
///         var host = await MyTestHost.StartAsync();
///         await host.SeedAsync(org.Records, org.AccountTeam);
///         return new MyDirectory(host.Client);
///     }
/// }
/// </code>
/// </example>
public abstract partial class CrmDirectoryContract : IAsyncLifetime
{
    private ContractOrg? _org;
    private ICrmDirectory? _directory;
    private IRecordMatcher? _matcher;

    /// <summary>Gets the organisation the directory under test was seeded with.</summary>
    /// <exception cref="InvalidOperationException">Before the fact has started.</exception>
    protected ContractOrg Org => _org ?? throw new InvalidOperationException("The contract org is created when a fact starts (InitializeAsync).");

    /// <summary>Gets the directory under test.</summary>
    /// <exception cref="InvalidOperationException">Before the fact has started.</exception>
    protected ICrmDirectory Directory => _directory ?? throw new InvalidOperationException("The directory is created when a fact starts (InitializeAsync).");

    /// <summary>Gets the matcher the facts compute lead keys with (<see cref="GetMatcher"/>).</summary>
    /// <exception cref="InvalidOperationException">Before the fact has started.</exception>
    protected IRecordMatcher Matcher => _matcher ?? throw new InvalidOperationException("The matcher is chosen when a fact starts (InitializeAsync).");

    /// <summary>
    /// Gets how many requests the directory has sent to its host so far (HTTP requests, organisation-service calls), or
    /// <see langword="null"/> when they are not counted. The default is <see langword="null"/>; round-trip facts then
    /// have nothing to check and pass.
    /// </summary>
    protected virtual int? RequestCount => null;

    /// <summary>
    /// Gets the most requests one call may send. The port asks for one selective question per call; a host that must
    /// read in steps (keys, then records) may take a few. The default value is 3.
    /// </summary>
    protected virtual int MaxRequestsPerCall => 3;

    /// <summary>Creates a new organisation and a directory seeded with it; xUnit calls it before each fact.</summary>
    /// <returns>A task that completes when the directory is ready.</returns>
    public virtual async Task InitializeAsync()
    {
        _org = ContractOrg.Create();
        _directory = await CreateDirectoryAsync(_org).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{GetType().Name}.CreateDirectoryAsync returned no directory.");
        _matcher = GetMatcher(_directory);
    }

    /// <summary>Disposes the directory when it is disposable; xUnit calls it after each fact. Override to stop your host too.</summary>
    /// <returns>A task that completes when the directory is disposed.</returns>
    public virtual async Task DisposeAsync()
    {
        switch (_directory)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>
    /// Builds the directory under test over a host seeded with <paramref name="org"/>: its users, accounts, active
    /// contacts, inactive contacts (as inactive), leads and activities with their statuses, and its account teams. A
    /// directory that finds candidates through stored keys must have them written before it is returned.
    /// </summary>
    /// <param name="org">The organisation to seed.</param>
    /// <returns>The directory.</returns>
    protected abstract Task<ICrmDirectory> CreateDirectoryAsync(ContractOrg org);

    /// <summary>Gets the matcher whose keys the directory finds records by: the facts ask with its keys, as the guards would.</summary>
    /// <param name="directory">The directory under test.</param>
    /// <returns>The matcher; <see cref="StoredMatchKeys.Matcher"/> by default.</returns>
    protected virtual IRecordMatcher GetMatcher(ICrmDirectory directory) => StoredMatchKeys.Matcher;

    /// <summary>Computes a lead's keys with <see cref="Matcher"/>, as the guards do.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>Its keys.</returns>
    protected MatchKeys KeysOf(Lead lead) => Matcher.GetKeys(lead);
}
