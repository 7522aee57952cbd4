#nullable enable
namespace Microsoft.Xrm.Sdk.Fakes;

/// <summary>A settable <see cref="IPluginExecutionContext"/>.</summary>
public sealed class FakePluginExecutionContext : IPluginExecutionContext
{
    public int Mode { get; set; }

    public int IsolationMode { get; set; } = 2;

    public int Depth { get; set; } = 1;

    public string MessageName { get; set; } = "Create";

    public string PrimaryEntityName { get; set; } = string.Empty;

    public Guid? RequestId { get; set; }

    public string SecondaryEntityName { get; set; } = "none";

    public ParameterCollection InputParameters { get; } = new();

    public ParameterCollection OutputParameters { get; } = new();

    public ParameterCollection SharedVariables { get; } = new();

    public Guid UserId { get; set; }

    public Guid InitiatingUserId { get; set; }

    public Guid BusinessUnitId { get; set; }

    public Guid OrganizationId { get; set; }

    public string OrganizationName { get; set; } = "fake";

    public Guid PrimaryEntityId { get; set; }

    public EntityImageCollection PreEntityImages { get; } = new();

    public EntityImageCollection PostEntityImages { get; } = new();

    public EntityReference? OwningExtension { get; set; }

    public Guid CorrelationId { get; set; } = Guid.NewGuid();

    public bool IsExecutingOffline { get; set; }

    public bool IsOfflinePlayback { get; set; }

    public bool IsInTransaction { get; set; }

    public Guid OperationId { get; set; } = Guid.NewGuid();

    public DateTime OperationCreatedOn { get; set; }

    public int Stage { get; set; } = 10;

    public IPluginExecutionContext? ParentContext { get; set; }
}

/// <summary>Builds the context a step receives, in the style of DLaB.Xrm.Test's PluginExecutionContextBuilder.</summary>
public sealed class PluginExecutionContextBuilder
{
    private readonly FakePluginExecutionContext _context = new();

    public PluginExecutionContextBuilder WithMessage(string messageName)
    {
        _context.MessageName = messageName;
        return this;
    }

    public PluginExecutionContextBuilder WithStage(int stage)
    {
        _context.Stage = stage;
        _context.IsInTransaction = stage >= 20;
        return this;
    }

    public PluginExecutionContextBuilder WithMode(int mode)
    {
        _context.Mode = mode;
        return this;
    }

    public PluginExecutionContextBuilder WithDepth(int depth)
    {
        _context.Depth = depth;
        return this;
    }

    /// <summary>Sets <c>Target</c>, the primary entity's name and id.</summary>
    public PluginExecutionContextBuilder WithTarget(Entity target)
    {
        _context.InputParameters["Target"] = target;
        _context.PrimaryEntityName = target.LogicalName;
        _context.PrimaryEntityId = target.Id;
        return this;
    }

    /// <summary>Sets <c>Targets</c> (CreateMultiple / UpdateMultiple) and the primary entity's name.</summary>
    public PluginExecutionContextBuilder WithTargets(params Entity[] targets)
    {
        var collection = new EntityCollection(targets.ToList()) { EntityName = targets.FirstOrDefault()?.LogicalName };
        _context.InputParameters["Targets"] = collection;
        _context.PrimaryEntityName = collection.EntityName ?? string.Empty;
        return this;
    }

    public PluginExecutionContextBuilder WithPrimaryEntityName(string name)
    {
        _context.PrimaryEntityName = name;
        return this;
    }

    public PluginExecutionContextBuilder WithPreImage(string alias, Entity image)
    {
        _context.PreEntityImages[alias] = image;
        return this;
    }

    /// <summary>Sets the user who started the operation and, unless <paramref name="stepUserId"/> is given, the step's user too.</summary>
    public PluginExecutionContextBuilder WithUser(Guid initiatingUserId, Guid? stepUserId = null)
    {
        _context.InitiatingUserId = initiatingUserId;
        _context.UserId = stepUserId ?? initiatingUserId;
        return this;
    }

    public PluginExecutionContextBuilder WithOperationCreatedOn(DateTime utc)
    {
        _context.OperationCreatedOn = utc;
        return this;
    }

    public PluginExecutionContextBuilder WithSharedVariable(string key, object? value)
    {
        _context.SharedVariables[key] = value;
        return this;
    }

    public PluginExecutionContextBuilder WithParent(IPluginExecutionContext parent)
    {
        _context.ParentContext = parent;
        return this;
    }

    public FakePluginExecutionContext Build() => _context;
}

/// <summary>Collects trace lines.</summary>
public sealed class FakeTracingService : ITracingService
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Trace(string format, params object[] args) =>
        _lines.Add(args is { Length: > 0 } ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args) : format);
}

/// <summary>The service provider a step's Execute receives: the context, tracing, and an organisation service factory.</summary>
public sealed class FakeServiceProvider : IServiceProvider, IOrganizationServiceFactory
{
    private readonly List<Guid?> _serviceUsers = [];

    public FakeServiceProvider(IPluginExecutionContext context, IOrganizationService service, FakeTracingService? tracing = null)
    {
        Context = context;
        Service = service;
        Tracing = tracing ?? new FakeTracingService();
    }

    public IPluginExecutionContext Context { get; }

    public IOrganizationService Service { get; }

    public FakeTracingService Tracing { get; }

    /// <summary>Gets the user ids organisation services were created for.</summary>
    public IReadOnlyList<Guid?> ServiceUsers => _serviceUsers;

    public object? GetService(Type serviceType) =>
        serviceType == typeof(IPluginExecutionContext) || serviceType == typeof(IExecutionContext) ? Context
        : serviceType == typeof(ITracingService) ? Tracing
        : serviceType == typeof(IOrganizationServiceFactory) ? this
        : null;

    public IOrganizationService CreateOrganizationService(Guid? userId)
    {
        _serviceUsers.Add(userId);
        return Service;
    }
}
